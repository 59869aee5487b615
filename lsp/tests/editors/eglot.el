;;; eglot.el --- drives Emacs 28 + eglot 1.9 against vnet-lsp (see lsp/tests/editors.rs) -*- lexical-binding: t -*-
;; Open a file with an error, get its diagnostics, hover, go to a definition, fix the file and
;; see the diagnostics change; then completion (completion-at-point), rename (eglot-rename) and
;; a code action's edit applied by eglot. Prints one RESULT line per step; exits non-zero on a failure.
(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa"))
(package-initialize)
(require 'eglot)
(require 'cl-lib)

(define-derived-mode vnet-mode prog-mode "vnet")
(add-to-list 'auto-mode-alist '("\\.vnet\\'" . vnet-mode))
(defvar vnet-server (getenv "VNET_LSP"))
(defvar vnet-root (file-name-as-directory (getenv "VNET_ROOT")))
(unless (executable-find vnet-server)
  (princ "FAIL no server\n") (kill-emacs 2))
(add-to-list 'eglot-server-programs `((vnet-mode) . (,vnet-server)))

(defvar vnet-diagnostics :none)
(cl-defmethod eglot-handle-notification :after
  (_server (_method (eql textDocument/publishDiagnostics)) &key uri diagnostics &allow-other-keys)
  (when (string-suffix-p "net.vnet" uri)
    (setq vnet-diagnostics diagnostics)))

(defun vnet-fail (code message)
  (princ (format "FAIL %s\n" message))
  (kill-emacs code))

(defun vnet-codes ()
  (if (eq vnet-diagnostics :none) "none"
    (mapconcat (lambda (d) (format "%s" (plist-get d :code))) vnet-diagnostics ",")))

(defun vnet-wait (predicate)
  (with-timeout (15 nil)
    (while (not (funcall predicate)) (accept-process-output nil 0.05))
    t))

(find-file (concat vnet-root "net.vnet"))
(eglot '(vnet-mode) (cons 'transient vnet-root) 'eglot-lsp-server (list vnet-server) "vnet")

(unless (vnet-wait (lambda () (string-match-p "E0002" (vnet-codes))))
  (vnet-fail 3 (format "no E0002: %s" (vnet-codes))))
(princ (format "RESULT diagnostics %s\n" (vnet-codes)))

(goto-char (point-min))
(search-forward "subnet app_a")
(backward-char 2)
(let* ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover
                               (eglot--TextDocumentPositionParams)))
       (value (plist-get (plist-get hover :contents) :value)))
  (unless (and value (string-match-p "251 usable" value))
    (vnet-fail 4 (format "hover: %S" hover)))
  (princ (format "RESULT hover %s\n" (car (split-string value "\n")))))

(goto-char (point-min))
(search-forward "-> nat_a")
(backward-char 2)
(let* ((xrefs (xref-backend-definitions 'eglot (xref-backend-identifier-at-point 'eglot)))
       (location (and xrefs (xref-item-location (car xrefs)))))
  (unless location (vnet-fail 5 "no definition"))
  (princ (format "RESULT definition line %s\n" (xref-location-line location))))

(goto-char (point-min))
(search-forward "route_table privat_a")
(replace-match "route_table private_a")
(eglot--signal-textDocument/didChange)
(unless (vnet-wait (lambda () (not (string-match-p "E0002" (vnet-codes)))))
  (vnet-fail 6 (format "diagnostics did not change: %s" (vnet-codes))))
(princ (format "RESULT after edit [%s]\n" (vnet-codes)))

;; Completion after `route_table pr`: completion-at-point inserts a route table's name.
(goto-char (point-min))
(search-forward "route_table private_a")
(replace-match "route_table pr")
(eglot--signal-textDocument/didChange)
(let ((completion-styles '(basic)) (completion-cycle-threshold t))
  (completion-at-point))
(princ (format "RESULT completion line: %s\n" (string-trim (thing-at-point 'line t))))
(beginning-of-line)
(kill-line)
(insert "    route_table private_a")
(eglot--signal-textDocument/didChange)
;; Rename nat_a.
(goto-char (point-min))
(search-forward "-> nat_a")
(backward-char 2)
(eglot-rename "nat_east")
(princ (format "RESULT rename count %d\n" (how-many "nat_east" (point-min) (point-max))))
;; Code action on a misspelt name.
(goto-char (point-min))
(search-forward "route_table private_b\n")
(forward-line -1)
(search-forward "private_b")
(replace-match "privat_b")
(eglot--signal-textDocument/didChange)
(vnet-wait (lambda () (string-match-p "E0002" (vnet-codes))))
(backward-char 2)
(let ((actions (jsonrpc-request (eglot-current-server) :textDocument/codeAction
                 (list :textDocument (eglot--TextDocumentIdentifier)
                       :range (list :start (eglot--pos-to-lsp-position (line-beginning-position)) :end (eglot--pos-to-lsp-position (line-end-position)))
                       :context (list :diagnostics [])))))
  (eglot--apply-workspace-edit (plist-get (aref actions 0) :edit))
  (princ (format "RESULT code action %s -> %s\n" (plist-get (aref actions 0) :title) (string-trim (thing-at-point 'line t)))))
(set-buffer-modified-p nil)
(ignore-errors (eglot-shutdown (eglot-current-server)))
(kill-emacs 0)
