//! Entry points for `fuzz/fuzz_targets/certificate.rs` (not a stable API).

use crate::Psd2Certificate;

/// Feeds arbitrary bytes to every decoder and touches every accessor; the
/// only expected outcome is "no panic".
pub fn certificate(data: &[u8]) {
    if let Ok(certificate) = Psd2Certificate::from_der(data) {
        exercise(&certificate);
    }
    if let Ok(certificates) = Psd2Certificate::from_pem(data) {
        certificates.iter().for_each(exercise);
    }
    // Random bytes rarely form a whole certificate: drive the QC statement
    // decoder directly too, as if `data` were the extension's value.
    let mut findings = Vec::new();
    if let Ok(statements) = crate::qc::decode(data, &mut findings)
        && let Some(psd2) = &statements.psd2
    {
        crate::psd2::check(psd2, None, &mut findings);
    }
    findings.iter().for_each(|finding| {
        let _ = (finding.to_string(), finding.code(), finding.severity());
    });
}

fn exercise(certificate: &Psd2Certificate) {
    let _ = (
        certificate.subject(),
        certificate.issuer(),
        certificate.serial_number(),
        certificate.validity(),
        certificate.key_usage(),
        certificate.extended_key_usage(),
        certificate.subject_alt_names(),
        certificate.qc_types(),
        certificate.declares_qwac(),
        certificate.declares_qsealc(),
        certificate.x5t_s256(),
        certificate.check_profile(crate::FindingPolicy::STRICT),
    );
    certificate.roles().for_each(|role| {
        let _ = certificate.has_role(role);
    });
    if let Some(organization_identifier) = certificate.organization_identifier()
        && let Ok(client) = psd2_core::ClientId::new(organization_identifier.as_str())
    {
        let _ = certificate.matches_client(&client, crate::MatchPolicy::Direct);
    }
    certificate.findings().iter().for_each(|finding| {
        let _ = finding.to_string();
    });
}
