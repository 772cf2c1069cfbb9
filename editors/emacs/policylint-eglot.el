;;; policylint-eglot.el --- policylint's language server in Eglot  -*- lexical-binding: t -*-

;; Checks plain text and Markdown buffers with `policylint lsp' through
;; Eglot (built into Emacs 29 and later; the `elpa-eglot' package on
;; Debian 12's Emacs 28).  Eglot shows the findings with Flymake.
;;
;; Load this file from your init file,
;;
;;   (load "/path/to/policylint/editors/emacs/policylint-eglot.el")
;;
;; or copy the forms below into it.  The `policylint' binary must be on
;; `exec-path' (install it with `cargo install --path .' in a clone of the
;; policylint repository), or replace "policylint" below by its full path.
;;
;; The first form gives Eglot one server for plain text and Markdown
;; buffers, whose LSP language ids are `plaintext' and `markdown'.  (Eglot
;; also offers it in other modes derived from `text-mode', such as Org,
;; when you type M-x eglot there.)  The others start Eglot by itself in
;; text and Markdown files, not in the many other modes that run
;; `text-mode-hook'.
;;
;; The server's settings (the keys of policylint.toml, plus debounce_ms)
;; go in `eglot-workspace-configuration', under `:policylint', e.g. in a
;; .dir-locals.el at the root of the project:
;;
;;   ((nil . ((eglot-workspace-configuration
;;             . (:policylint (:ignore ["undefined-acronym"] :debounce_ms 300))))))

;;; Code:

(defvar eglot-server-programs)
(declare-function eglot-ensure "eglot")

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '(((text-mode :language-id "plaintext")
                  (markdown-mode :language-id "markdown")
                  (gfm-mode :language-id "markdown"))
                 . ("policylint" "lsp"))))

(defun policylint-eglot-ensure ()
  "Start Eglot with policylint in a plain text or Markdown file."
  (when (memq major-mode '(text-mode markdown-mode gfm-mode))
    (eglot-ensure)))
(add-hook 'text-mode-hook #'policylint-eglot-ensure)

(provide 'policylint-eglot)
;;; policylint-eglot.el ends here
