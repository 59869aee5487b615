;;; vnet-mode.el --- Major mode for vnet, the language of AWS networks -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages
;; URL: https://github.com/vnet-lang/vnet

;;; Commentary:

;; Highlighting, indentation and comments for `.vnet' files, the `vnet-lsp' language
;; server through eglot, and `vnet-format-buffer' (`vnetc fmt -').
;;
;;   (add-to-list 'load-path "/path/to/vnet/editors/emacs")
;;   (require 'vnet-mode)
;;   (add-hook 'vnet-mode-hook #'eglot-ensure)   ; start vnet-lsp in .vnet buffers

;;; Code:

(defgroup vnet nil
  "The vnet language (AWS networks)."
  :group 'languages
  :prefix "vnet-")

(defcustom vnet-indent-offset 2
  "Indentation of a block's statements."
  :type 'integer
  :safe #'integerp)

(defcustom vnet-lsp-command '("vnet-lsp")
  "The vnet language server and its arguments, for eglot."
  :type '(repeat string))

(defcustom vnet-vnetc-command "vnetc"
  "The vnet compiler, for `vnet-format-buffer'."
  :type 'string)

(defconst vnet--block-kinds
  '("vpc" "subnet" "route_table" "nat_gateway" "nacl" "security_group" "endpoint_service"
    "endpoint" "load_balancer" "target_group" "instance" "function" "database"
    "resource_gateway" "resource_configuration" "peering" "transit_gateway" "attachment"
    "on_premises" "connection" "service_network" "lattice_service"))

(defconst vnet--attribute-keys
  '("region" "cidr" "dns_hostnames" "dns_support" "az" "route_tables" "route_table" "nacl"
    "public_ip_on_launch" "subnets" "subnet" "security_groups" "uses" "public_ip" "private_ip"
    "port" "engine" "services" "service" "type" "private_dns" "load_balancer"
    "acceptance_required" "allowed_principals" "internal" "protocol" "targets" "gateway"
    "address" "share_with" "requester" "accepter" "vpcs" "vpc" "asn" "bandwidth"
    "customer_gateway" "auth" "main" "description" "connectivity"))

(defconst vnet--symbol "[A-Za-z_][A-Za-z0-9_-]*")

(defconst vnet-font-lock-keywords
  `(;; KIND NAME {   and the bare internet_gateway / vpn_gateway NAME
    (,(concat "\\_<\\(" (regexp-opt vnet--block-kinds) "\\)\\s-+\\(" vnet--symbol "\\)\\s-*{")
     (1 font-lock-keyword-face) (2 font-lock-type-face))
    (,(concat "\\_<\\(internet_gateway\\|vpn_gateway\\)\\s-+\\(" vnet--symbol "\\)")
     (1 font-lock-keyword-face) (2 font-lock-type-face))
    (,(regexp-opt '("route" "inbound" "outbound" "ingress" "egress" "listener" "expect"
                    "from" "to")
                  'symbols)
     . font-lock-keyword-face)
    (,(regexp-opt vnet--attribute-keys 'symbols) . font-lock-variable-name-face)
    (,(regexp-opt '("allow" "deny" "allowed" "denied" "blackhole" "internet" "true" "false")
                  'symbols)
     . font-lock-constant-face)
    (,(regexp-opt '("tcp" "udp" "icmp" "all" "http" "https" "tls" "tcp_udp") 'symbols)
     . font-lock-builtin-face)
    ("\\_<[0-9]+\\(?:\\.[0-9]+\\)*/[0-9]+\\_>" . font-lock-constant-face)
    ("\\_<[0-9]+\\(?:\\.[0-9]+\\)\\{3\\}\\_>" . font-lock-constant-face)
    ("->" . font-lock-builtin-face))
  "Highlighting for `vnet-mode'.")

(defvar vnet-mode-syntax-table
  (let ((table (make-syntax-table)))
    (modify-syntax-entry ?# "<" table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?\" "\"" table)
    (modify-syntax-entry ?\\ "\\" table)
    (modify-syntax-entry ?_ "_" table)
    (modify-syntax-entry ?- "_" table)
    (modify-syntax-entry ?. "_" table)
    (modify-syntax-entry ?/ "_" table)
    (modify-syntax-entry ?: "_" table)
    (modify-syntax-entry ?{ "(}" table)
    (modify-syntax-entry ?} "){" table)
    (modify-syntax-entry ?\[ "(]" table)
    (modify-syntax-entry ?\] ")[" table)
    table)
  "Syntax table for `vnet-mode'.")

(defun vnet-indent-line ()
  "Indent the current line by the depth of the brackets around it."
  (interactive)
  (let* ((depth (save-excursion
                  (beginning-of-line)
                  (car (syntax-ppss))))
         (closing (save-excursion
                    (back-to-indentation)
                    (looking-at-p "[]}]")))
         (column (* vnet-indent-offset (max 0 (- depth (if closing 1 0)))))
         (offset (- (current-column) (current-indentation))))
    (indent-line-to column)
    (when (> offset 0)
      (forward-char offset))))

(defun vnet-format-buffer ()
  "Format the buffer with `vnetc fmt -'; leave it alone if it does not parse."
  (interactive)
  (let ((output (generate-new-buffer " *vnetc fmt*"))
        (errors (make-temp-file "vnetc-fmt")))
    (unwind-protect
        (if (zerop (call-process-region (point-min) (point-max) vnet-vnetc-command
                                        nil (list output errors) nil "fmt" "-"))
            (replace-buffer-contents output)
          (message "vnetc fmt: %s"
                   (with-temp-buffer (insert-file-contents errors) (buffer-string))))
      (kill-buffer output)
      (delete-file errors))))

;;;###autoload
(define-derived-mode vnet-mode prog-mode "vnet"
  "Major mode for vnet files (AWS networks)."
  :syntax-table vnet-mode-syntax-table
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+\\s-*")
  (setq-local comment-end "")
  (setq-local indent-line-function #'vnet-indent-line)
  (setq-local indent-tabs-mode nil)
  (setq-local font-lock-defaults '(vnet-font-lock-keywords)))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.vnet\\'" . vnet-mode))

(with-eval-after-load 'eglot
  (defvar eglot-server-programs)
  (add-to-list 'eglot-server-programs `((vnet-mode) . ,vnet-lsp-command)))

(provide 'vnet-mode)
;;; vnet-mode.el ends here
