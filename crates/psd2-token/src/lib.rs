//! # psd2-token
//!
//! Certificate-bound signed access and refresh tokens (RFC 9068 JWT, RFC 8705 cnf) on ring
