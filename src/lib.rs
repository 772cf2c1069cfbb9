//! policylint: checks policy texts for the errors that matter in them.
pub mod syntax;
