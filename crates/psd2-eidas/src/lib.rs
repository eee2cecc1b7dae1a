//! # psd2-eidas
//!
//! QWAC and QSealC parsing: PSD2 roles, NCA, organizationIdentifier, QC statements, thumbprints
