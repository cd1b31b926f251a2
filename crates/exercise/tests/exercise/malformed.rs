//! Malformed HCL.
