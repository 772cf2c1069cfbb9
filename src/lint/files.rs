//! Finding the files to check.
