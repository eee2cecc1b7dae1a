//! # psd2-wire
//!
//! Codecs for every PSD2 OAuth2 message: what was sent, never whether it is allowed
