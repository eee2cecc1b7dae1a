//! # psd2-rules
//!
//! The PSD2 OAuth2 rule catalogue as data, and the judges that apply it
