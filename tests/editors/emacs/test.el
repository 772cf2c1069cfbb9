;;; test.el --- Emacs, Eglot and Flymake against `policylint lsp'  -*- lexical-binding: t -*-

;; Emacs in batch mode with Debian's Eglot (elpa-eglot) and the
;; configuration of editors/emacs/policylint-eglot.el, the `policylint'
;; binary found on `exec-path': opens the seed document, waits for
;; Flymake's diagnostics and checks them, the outline (imenu) and the
;; quick fix for "pubic".
;;
;; Run by scripts/e2e-emacs.sh from the repository root:
;;   emacs --batch -Q -l tests/editors/emacs/test.el

;;; Code:

(require 'cl-lib)
(require 'package)

;; Only the packages Debian installed (/usr/share/emacs/site-lisp/elpa, which
;; -Q leaves out), none of the user's.
(setq package-user-dir (make-temp-file "policylint-elpa-" t))
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)

(defvar policylint-test-repo default-directory)
(defvar policylint-test-seed
  (expand-file-name "seeds/cyberspace-community.txt" policylint-test-repo))
(defvar policylint-test-patience 20
  "Seconds one answer may take: a hang guard, not a performance bound.")
(defvar policylint-test-passed 0)
(defvar policylint-test-failed 0)

(defun policylint-test-say (format-string &rest args)
  (princ (concat (apply #'format format-string args) "\n")))

(defun policylint-test-finish ()
  (delete-directory package-user-dir t)
  (policylint-test-say "%d passed, %d failed" policylint-test-passed policylint-test-failed)
  (kill-emacs (if (zerop policylint-test-failed) 0 1)))

(defmacro policylint-test-check (name &rest body)
  "Run BODY as the check NAME; return non-nil if it passed."
  (declare (indent 1))
  `(condition-case err
       (progn ,@body
              (cl-incf policylint-test-passed)
              (policylint-test-say "ok - %s" ,name)
              t)
     (error
      (cl-incf policylint-test-failed)
      (policylint-test-say "not ok - %s\n    %s" ,name (error-message-string err))
      nil)))

(defun policylint-test-equal (expected actual what)
  (unless (equal expected actual)
    (error "%s: expected %S, got %S" what expected actual)))

(defun policylint-test-wait (what predicate)
  (with-timeout (policylint-test-patience (error "Timed out waiting for %s" what))
    (while (not (funcall predicate))
      (accept-process-output nil 0.02))))

(defun policylint-test-pause ()
  "Run the idle timers, as Emacs does when the user pauses.
Batch mode has no command loop, so they would never run: Eglot sends
its changes to the server from one."
  (dolist (timer (copy-sequence timer-idle-list))
    (timer-event-handler timer)))

(defun policylint-test-utf16-column (pos)
  "The UTF-16 column of POS, as the server counts."
  (/ (length (encode-coding-string
              (buffer-substring-no-properties (save-excursion (goto-char pos) (line-beginning-position)) pos)
              'utf-16le))
     2))

(defun policylint-test-found ()
  "(RULE LINE UTF-16-COLUMN TEXT) of each Flymake diagnostic, sorted."
  (sort
   (mapcar (lambda (d)
             (let* ((lsp (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d)))
                    (beg (flymake-diagnostic-beg d)))
               (list (plist-get lsp :code)
                     (1- (line-number-at-pos beg))
                     (policylint-test-utf16-column beg)
                     (buffer-substring-no-properties beg (flymake-diagnostic-end d)))))
           (flymake-diagnostics))
   (lambda (a b)
     (if (equal (car a) (car b))
         (< (cadr a) (cadr b))
       (string< (car a) (car b))))))

(defun policylint-test-real-words ()
  (cl-remove-if-not (lambda (row) (equal (car row) "real-word")) (policylint-test-found)))

(defun policylint-test-run ()
  (unless
      (policylint-test-check "Eglot loads"
        (require 'eglot)
        ;; Debian 12: /usr/share/emacs/site-lisp/elpa/eglot-1.9 (elpa-eglot).
        (policylint-test-say "# Eglot from %s" (locate-library "eglot")))
    (policylint-test-finish))

  ;; The README's init.el for Emacs (scripts/e2e-emacs.sh writes it).
  (load (getenv "POLICYLINT_TEST_INIT") nil t)

  (find-file policylint-test-seed)
  ;; The buffer is edited, never saved; a seed checked out read-only must
  ;; not stop that.
  (setq buffer-read-only nil)
  ;; `eglot-ensure' starts the server once the command that opened the
  ;; file is over; batch mode has no command loop, so end it by hand.
  (run-hooks 'post-command-hook)

  (unless
      (policylint-test-check "the server starts for the text-mode buffer, rooted at the repository"
        (policylint-test-equal 'text-mode major-mode "major mode")
        (policylint-test-wait "Eglot to manage the buffer" (lambda () (bound-and-true-p eglot--managed-mode)))
        (let ((server (eglot-current-server)))
          (policylint-test-equal '("policylint" "lsp") (process-command (jsonrpc--process server)) "command")
          (policylint-test-equal "plaintext" (eglot--language-id server) "language id")
          (policylint-test-equal (file-name-as-directory policylint-test-repo)
                                 (file-name-as-directory (expand-file-name (project-root (eglot--project server))))
                                 "project root")
          (policylint-test-equal "policylint" (plist-get (eglot--server-info server) :name) "server name"))
        (unless (bound-and-true-p flymake-mode)
          (error "Flymake is off")))
    (policylint-test-finish))

  (unless
      (policylint-test-check "Flymake shows the diagnostics"
        (policylint-test-wait "six Flymake diagnostics" (lambda () (>= (length (flymake-diagnostics)) 6))))
    (policylint-test-finish))

  (policylint-test-check "\"pubic\" and both \"ethnics\" are reported at their lines and columns"
    (policylint-test-equal '(("real-word" 32 846 "ethnics")
                             ("real-word" 38 410 "pubic")
                             ("real-word" 44 706 "ethnics"))
                           (policylint-test-real-words)
                           "real-word diagnostics")
    (dolist (d (flymake-diagnostics))
      (unless (string-prefix-p "policylint [" (flymake-diagnostic-text d))
        (error "Diagnostic text %S" (flymake-diagnostic-text d)))))

  (policylint-test-check "the other findings of the seed are there too"
    (policylint-test-equal '(("duplicate-heading" 4 0) ("duplicate-heading" 46 0) ("empty-metadata" 2 23))
                           (mapcar (lambda (row) (butlast row))
                                   (cl-remove-if (lambda (row) (equal (car row) "real-word"))
                                                 (policylint-test-found)))
                           "findings"))

  (policylint-test-check "imenu: the title holds sections at lines 8, 22, 34 with 0, 4, 4 children"
    ;; Eglot 1.9 groups the document symbols by kind: the title is a File,
    ;; the numbered sections Namespaces (under the title), their
    ;; sub-sections Keys (under "TITLE::SECTION").
    (let* ((index (funcall imenu-create-index-function))
           (title (car (cdr (assoc "Namespace" index))))
           (sections (cdr title))
           (subsections (cdr (assoc "Key" index))))
      (unless (string-prefix-p "Jointly Build a Community" (car title))
        (error "Title %S" (car title)))
      (policylint-test-equal '(8 22 34)
                             (mapcar (lambda (s) (1- (line-number-at-pos (cdr s)))) sections)
                             "section lines")
      (policylint-test-equal '(0 4 4)
                             (mapcar (lambda (s)
                                       (length (cdr (assoc (concat (car title) "::" (car s)) subsections))))
                                     sections)
                             "children")))

  (policylint-test-check "the quick fix \"Replace with `public`\" mends the buffer"
    (goto-char (point-min))
    (forward-line 38)
    (let* ((line (buffer-substring-no-properties (line-beginning-position) (line-end-position)))
           (offered nil))
      (search-forward "formulate pubic" (line-end-position))
      (backward-char 3)
      ;; The user picks the action from Eglot's menu.
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (_prompt collection &rest _)
                   (setq offered (mapcar #'car collection))
                   "Replace with `public`")))
        (let ((last-nonmenu-event ?\r))
          (call-interactively #'eglot-code-actions)))
      (unless (member "Replace with `public`" offered)
        (error "Offered: %S" offered))
      (policylint-test-equal (replace-regexp-in-string "formulate pubic policies" "formulate public policies" line t t)
                             (buffer-substring-no-properties (line-beginning-position) (line-end-position))
                             "line 39")))

  (policylint-test-check "after the fix Flymake drops the diagnostic and keeps the others"
    (policylint-test-pause)
    (policylint-test-wait "five Flymake diagnostics" (lambda () (= (length (flymake-diagnostics)) 5)))
    (policylint-test-equal '(("real-word" 32 846 "ethnics") ("real-word" 44 706 "ethnics"))
                           (policylint-test-real-words)
                           "real-word diagnostics"))

  (policylint-test-check "the README's .dir-locals.el settings reach the server"
    ;; Two projects with the same document: one plain, one with the
    ;; README's .dir-locals.el, which ignores undefined-acronym.
    (let ((text "Notes\n\nThe CAC publishes the rules, and the recieve date is set.\n")
          (found nil))
      (dolist (dir-locals (list nil (getenv "POLICYLINT_TEST_DIR_LOCALS")))
        (let* ((project (make-temp-file "policylint-project-" t))
               (notes (expand-file-name "notes.txt" project)))
          (make-directory (expand-file-name ".git" project))
          (when dir-locals
            (copy-file dir-locals (expand-file-name ".dir-locals.el" project)))
          (with-temp-file notes (insert text))
          (with-current-buffer (find-file notes)
            (run-hooks 'post-command-hook)
            (policylint-test-wait "Eglot to manage notes.txt" (lambda () (bound-and-true-p eglot--managed-mode)))
            (policylint-test-wait "diagnostics for notes.txt" (lambda () (flymake-diagnostics)))
            (push (mapcar #'car (policylint-test-found)) found)
            (set-buffer-modified-p nil)
            (eglot-shutdown (eglot-current-server))
            (kill-buffer))
          (delete-directory project t)))
      (policylint-test-equal '(("misspelling" "undefined-acronym") ("misspelling"))
                             (nreverse found)
                             "rules found without and with .dir-locals.el")))

  (set-buffer-modified-p nil)
  (policylint-test-check "Eglot shuts the server down"
    ;; (Eglot deletes the process right after the exit notification, so
    ;; its exit status says nothing.)
    (let ((process (jsonrpc--process (eglot-current-server))))
      (eglot-shutdown (eglot-current-server))
      (policylint-test-wait "the server to exit" (lambda () (not (process-live-p process))))))

  (policylint-test-finish))

(condition-case err
    (policylint-test-run)
  (error
   (cl-incf policylint-test-failed)
   (policylint-test-say "not ok - the test itself: %s" (error-message-string err))
   (policylint-test-finish)))

;;; test.el ends here
