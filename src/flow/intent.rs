//! Intended flows (placeholder, written next).
