//! `cargo run -p psd2-eidas --example inspect -- CERT.pem [...]`
//!
//! Prints one JSON object per line per certificate: roles, NCA, orgId, QC
//! statements, EKU, SHA-256 fingerprint and findings; `{"error": ...}` for a
//! file that cannot be read or parsed.

use std::process::ExitCode;

use psd2_eidas::{OrganizationIdentifier, Psd2Certificate};
use serde_json::{Value, json};

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: inspect CERT.pem [CERT.pem ...]");
        return ExitCode::FAILURE;
    }
    let mut status = ExitCode::SUCCESS;
    for path in paths {
        let parsed = std::fs::read(&path)
            .map_err(|error| format!("{path}: {error}"))
            .and_then(|bytes| {
                Psd2Certificate::from_pem(&bytes).map_err(|error| format!("{path}: {error}"))
            });
        match parsed {
            Ok(certificates) => {
                for certificate in &certificates {
                    println!("{}", describe(certificate));
                }
            }
            Err(error) => {
                println!("{}", json!({ "error": error }));
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}

fn describe(certificate: &Psd2Certificate) -> Value {
    let psd2 = certificate.psd2();
    let org_id = certificate.organization_identifier();
    let org_id_parsed = match org_id {
        Some(OrganizationIdentifier::Psd(psd)) => json!({
            "country": psd.country(),
            "nca": psd.nca(),
            "authorisation_number": psd.authorisation_number(),
        }),
        _ => Value::Null,
    };
    let qc = certificate.qc_statements();
    let fingerprint: String = certificate
        .sha256_thumbprint()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let findings: Vec<Value> = certificate
        .findings()
        .iter()
        .map(|finding| {
            json!({
                "severity": finding.severity().as_str(),
                "code": finding.code(),
                "message": finding.to_string(),
            })
        })
        .collect();
    json!({
        "roles": certificate.roles().map(|role| role.name()).collect::<Vec<_>>(),
        "nca_name": psd2.map(|statement| statement.nca_name.as_str()),
        "nca_id": psd2.map(|statement| statement.nca_id.as_str()),
        "org_id": org_id.map(OrganizationIdentifier::as_str),
        "org_id_parsed": org_id_parsed,
        "qc_types": certificate.qc_types().iter().map(|qc_type| qc_type.name()).collect::<Vec<_>>(),
        "qc_compliance": qc.is_some_and(|qc| qc.compliance),
        "qc_sscd": qc.is_some_and(|qc| qc.sscd),
        "eku": certificate.extended_key_usage().iter().map(ToString::to_string).collect::<Vec<_>>(),
        "sha256_fingerprint": fingerprint,
        "findings": findings,
    })
}
