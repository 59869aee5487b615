;;; emacs.el --- headless check of editors/emacs (editors/tests/run.sh) -*- lexical-binding: t; -*-
;; Opens $VNET_TEST_FILE: vnet-mode, faces, indentation, then eglot with the server in
;; $VNET_LSP until it publishes a diagnostic. Exits 0 when all hold, 1 otherwise.

(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa"))
(package-initialize)
(add-to-list 'load-path (expand-file-name "../emacs" (file-name-directory load-file-name)))
(require 'vnet-mode)
(setq vnet-lsp-command (list (or (getenv "VNET_LSP") "vnet-lsp")))
(require 'eglot)
(setq eglot-server-programs (cons `((vnet-mode) . ,vnet-lsp-command) eglot-server-programs))

(defvar failures nil)
(defun check (ok what) (unless ok (push what failures)))

(find-file (getenv "VNET_TEST_FILE"))
(font-lock-ensure)
(check (eq major-mode 'vnet-mode) (format "major mode is %s" major-mode))
(defun face-at (line col)
  (save-excursion (goto-char (point-min)) (forward-line (1- line)) (move-to-column col)
                  (get-text-property (point) 'face)))
(check (eq (face-at 2 0) 'font-lock-keyword-face) (format "vpc: %S" (face-at 2 0)))
(check (eq (face-at 2 4) 'font-lock-type-face) (format "prod: %S" (face-at 2 4)))
(check (eq (face-at 3 13) 'font-lock-variable-name-face) (format "az: %S" (face-at 3 13)))
(check (memq (face-at 4 21) '(font-lock-comment-face font-lock-comment-delimiter-face))
       (format "comment: %S" (face-at 4 21)))
(check (eq (face-at 5 13) 'font-lock-keyword-face) (format "inbound: %S" (face-at 5 13)))
;; Indentation: a statement one level in, the closing brace at column 0.
(save-excursion
  (goto-char (point-min)) (forward-line 3) (indent-line-to 7) (vnet-indent-line)
  (check (= (current-indentation) 2) (format "indent: %d" (current-indentation)))
  (goto-char (point-max)) (forward-line -1) (vnet-indent-line)
  (check (= (current-indentation) 0) (format "closing brace indent: %d" (current-indentation))))
(set-buffer-modified-p nil)

(defvar diagnostics-seen nil)
(cl-defmethod eglot-handle-notification :after
  (_server (_method (eql textDocument/publishDiagnostics)) &rest params &allow-other-keys)
  (let ((found (plist-get params :diagnostics)))
    (when (> (length found) 0) (setq diagnostics-seen found))))
(defun syntax-error ()
  "The published E0001 diagnostic on line 3 (0-based 2), if any."
  (seq-find (lambda (d) (and (equal (plist-get d :code) "E0001")
                             (= (plist-get (plist-get (plist-get d :range) :start) :line) 2)))
            diagnostics-seen))

(if (not (executable-find (car vnet-lsp-command)))
    (push (format "%s not found" (car vnet-lsp-command)) failures)
  (apply #'eglot (eglot--guess-contact))
  (let ((deadline (+ (float-time) 10)))
    (while (and (not (syntax-error)) (< (float-time) deadline))
      (accept-process-output nil 0.1)))
  (check diagnostics-seen "no diagnostics from the server")
  (check (syntax-error) (format "no E0001 on line 3 among %S" diagnostics-seen))
  (ignore-errors (eglot-shutdown (eglot-current-server))))

(if failures
    (progn (message "emacs: %s" (mapconcat #'identity failures "; ")) (kill-emacs 1))
  (princ (format "emacs: vnet-mode, faces, indentation and %d diagnostic(s) through eglot: ok\n"
                 (length diagnostics-seen)))
  (kill-emacs 0))
