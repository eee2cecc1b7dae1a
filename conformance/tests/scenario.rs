//! Scenario files: the generic fixtures load and plan; every validation
//! error names the file and the step.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use psd2_conformance::scenario::{
    self, Plan, PlanError, RuleStatus, Scenario, ScenarioStatus, Selection, StepKind,
};
use psd2_conformance::target::Target;
use psd2_rules::{Catalogue, Need, Outcome, RuleId};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn target_with(edit: impl Fn(String) -> String) -> Target {
    let path = root().join("targets/sandbox-generic.toml");
    let text = edit(std::fs::read_to_string(&path).unwrap());
    Target::parse(&path, &text, &|_| None).unwrap()
}

fn generic() -> Vec<Scenario> {
    scenario::load_dir(&root().join("scenarios/generic")).unwrap()
}

fn error_of(text: &str) -> String {
    scenario::parse(Path::new("bad.toml"), text)
        .expect_err("the scenario must be rejected")
        .to_string()
}

const HEAD: &str = "description = \"x\"\nrules = [\"CORE-MD-01\"]\n";

#[test]
fn the_generic_scenarios_load() {
    let scenarios = generic();
    let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"metadata"), "{names:?}");
    assert!(names.contains(&"authorization-code"), "{names:?}");
    let code = scenarios
        .iter()
        .find(|s| s.name == "authorization-code")
        .unwrap();
    assert_eq!(code.steps[1].kind, StepKind::Consent);
    assert_eq!(code.consents(), 1);
    assert_eq!(code.needs(), vec![Need::Psu, Need::Resource]);
    assert!(code.rules.contains(&RuleId::CoreAc01));
    let probes = scenarios
        .iter()
        .find(|s| s.name == "open-redirect-probes")
        .unwrap();
    assert_eq!(probes.steps[0].kind, StepKind::Probe);
    assert_eq!(probes.needs(), vec![Need::ProbeUrls]);
    assert_eq!(probes.rules, vec![RuleId::SecAz03]);
}

#[test]
fn an_unknown_rule_id_is_an_error() {
    let message = error_of(
        "description = \"x\"\nrules = [\"CORE-XX-99\"]\n[[step]]\nkind = \"metadata\"\nlabel = \"metadata\"\n",
    );
    assert!(message.contains("bad.toml"), "{message}");
    assert!(message.contains("rules[0]"), "{message}");
    assert!(message.contains("CORE-XX-99"), "{message}");
}

#[test]
fn an_unknown_step_kind_is_an_error() {
    let message = error_of(&format!(
        "{HEAD}[[step]]\nkind = \"teleport\"\nlabel = \"metadata\"\n"
    ));
    assert!(message.contains("step[0].kind"), "{message}");
    assert!(message.contains("teleport"), "{message}");
}

#[test]
fn an_unknown_label_is_an_error() {
    let message = error_of(&format!(
        "{HEAD}[[step]]\nkind = \"metadata\"\nlabel = \"metadata-twice\"\n"
    ));
    assert!(message.contains("step[0].label"), "{message}");
    assert!(message.contains("metadata-twice"), "{message}");
}

#[test]
fn a_label_of_a_prefix_family_is_known() {
    let text = format!(
        "{HEAD}[[step]]\nkind = \"authorize\"\nlabel = \"authorize-redirect-variant-trailing-slash\"\nredirect_uri = \"https://tpp-a.example/callback/\"\n"
    );
    assert!(scenario::parse(Path::new("ok.toml"), &text).is_ok());
    let bare =
        format!("{HEAD}[[step]]\nkind = \"authorize\"\nlabel = \"authorize-redirect-variant-\"\n");
    assert!(error_of(&bare).contains("unknown label"));
}

#[test]
fn a_probe_step_is_labelled_by_its_family_and_needs_probe_urls() {
    let text = format!("{HEAD}[[step]]\nkind = \"probe\"\nlabel = \"open-redirect-probe-\"\n");
    let probes = scenario::parse(Path::new("ok.toml"), &text).unwrap();
    assert_eq!(probes.steps[0].kind, StepKind::Probe);
    assert_eq!(probes.needs(), vec![Need::ProbeUrls]);
    // A member of the family, another label or another family is no probe
    // label.
    for label in [
        "open-redirect-probe-return_to",
        "metadata",
        "authorize-redirect-variant-",
    ] {
        let message = error_of(&format!(
            "{HEAD}[[step]]\nkind = \"probe\"\nlabel = {label:?}\n"
        ));
        assert!(message.contains("step[0].label"), "{message}");
        assert!(message.contains("the label family"), "{message}");
    }
    let twice = format!("{HEAD}{}{}", &text[HEAD.len()..], &text[HEAD.len()..]);
    assert!(error_of(&twice).contains("duplicate label"));
}

#[test]
fn a_probe_step_takes_what_it_sends_from_the_target_only() {
    let message = error_of(&format!(
        "{HEAD}[[step]]\nkind = \"probe\"\nlabel = \"open-redirect-probe-\"\nparams = {{ return_to = \"x\" }}\nconcurrent = 2\n"
    ));
    assert!(message.contains("step[0].params"), "{message}");
    assert!(message.contains("step[0].concurrent"), "{message}");
}

#[test]
fn a_duplicate_label_is_an_error() {
    let step = "[[step]]\nkind = \"metadata\"\nlabel = \"metadata\"\n";
    let message = error_of(&format!("{HEAD}{step}{step}"));
    assert!(message.contains("step[1].label"), "{message}");
    assert!(message.contains("duplicate"), "{message}");
}

#[test]
fn a_capture_used_before_it_is_defined_is_an_error() {
    let text = format!(
        "{HEAD}[[step]]\nkind = \"token\"\nlabel = \"code-exchange\"\nparams = {{ code = \"${{code}}\" }}\n\
         [[step]]\nkind = \"authorize\"\nlabel = \"authorize-grant\"\ncapture = {{ code = \"code\" }}\n"
    );
    let message = error_of(&text);
    assert!(message.contains("step[0]"), "{message}");
    assert!(message.contains("${code}"), "{message}");
}

#[test]
fn a_field_of_another_kind_is_an_error() {
    let message = error_of(&format!(
        "{HEAD}[[step]]\nkind = \"metadata\"\nlabel = \"metadata\"\npkce = true\n"
    ));
    assert!(message.contains("step[0].pkce"), "{message}");
}

#[test]
fn a_consent_step_continues_an_authorize_step() {
    let message = error_of(&format!(
        "{HEAD}[[step]]\nkind = \"consent\"\nlabel = \"authorize-grant\"\n"
    ));
    assert!(message.contains("consent step continues"), "{message}");
}

#[test]
fn every_problem_is_reported() {
    let message = error_of(
        "description = \"x\"\nrules = [\"NOPE\"]\n[[step]]\nkind = \"nope\"\nlabel = \"metadata\"\n[[step]]\nkind = \"metadata\"\nlabel = \"x\"\n",
    );
    assert!(
        message.contains("rules[0]")
            && message.contains("step[0].kind")
            && message.contains("step[1].label"),
        "{message}"
    );
}

#[test]
fn the_sandbox_plan_runs_every_generic_scenario() {
    let catalogue = Catalogue::builtin().unwrap();
    let target = target_with(|text| text);
    let plan = Plan::build(&target, &generic(), catalogue, &Selection::default()).unwrap();
    // Every scenario runs, except those that wait for a lifetime to run out
    // (the fixture target has no `wait`).
    assert!(
        plan.scenarios
            .iter()
            .all(|s| s.status == ScenarioStatus::Run
                || s.status == ScenarioStatus::Skip { need: Need::Wait }),
        "{:?}",
        plan.scenarios
    );
    assert!(plan.consents >= 2, "{}", plan.consents);
    let ac01 = plan
        .rules
        .iter()
        .find(|r| r.rule == RuleId::CoreAc01)
        .unwrap();
    assert_eq!(
        ac01.status,
        RuleStatus::Judged {
            scenarios: vec!["authorization-code".to_owned()]
        }
    );
    assert!(
        plan.skip_findings()
            .iter()
            .all(|f| f.rule != RuleId::CoreAc01)
    );
}

#[test]
fn without_a_psu_the_journeys_are_skipped_with_that_need() {
    let catalogue = Catalogue::builtin().unwrap();
    let target = target_with(|text| {
        let start = text.find("[psu]").unwrap();
        let end = text.find("[capabilities]").unwrap();
        format!("{}{}", &text[..start], &text[end..])
    });
    let plan = Plan::build(&target, &generic(), catalogue, &Selection::default()).unwrap();
    let code = plan
        .scenarios
        .iter()
        .find(|s| s.name == "authorization-code")
        .unwrap();
    assert_eq!(code.status, ScenarioStatus::Skip { need: Need::Psu });
    assert_eq!(plan.consents, 0);
    let skip = plan
        .skip_findings()
        .into_iter()
        .find(|f| f.rule == RuleId::CoreAc01)
        .unwrap();
    assert_eq!(skip.outcome, Outcome::Skip { need: Need::Psu });
}

#[test]
fn the_selection_filters_and_is_checked() {
    let catalogue = Catalogue::builtin().unwrap();
    let target = target_with(|text| text);
    let selection = Selection {
        rules: vec![RuleId::CoreMd01],
        scenarios: Vec::new(),
    };
    let plan = Plan::build(&target, &generic(), catalogue, &selection).unwrap();
    let names: Vec<&str> = plan.scenarios.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["metadata"]);
    assert_eq!(plan.rules.len(), 1);

    let unknown = Selection {
        rules: Vec::new(),
        scenarios: vec!["nope".to_owned()],
    };
    assert_eq!(
        Plan::build(&target, &generic(), catalogue, &unknown),
        Err(PlanError::UnknownScenario("nope".to_owned()))
    );
}

#[test]
fn an_optional_clock_step_lets_the_scenario_run_without_clock_control() {
    let catalogue = Catalogue::builtin().unwrap();
    let target = target_with(|text| {
        text.lines()
            .filter(|line| !line.starts_with("clock_control"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let plan = Plan::build(&target, &generic(), catalogue, &Selection::default()).unwrap();
    let status = |name: &str| {
        plan.scenarios
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.status.clone())
            .unwrap()
    };
    // refresh-token's clock jump is optional: the scenario runs up to it.
    assert_eq!(status("refresh-token"), ScenarioStatus::Run);
    // code-expiry cannot do without the clock.
    assert_eq!(
        status("code-expiry"),
        ScenarioStatus::Skip {
            need: Need::ClockControl
        }
    );
    // The case that reads the steps after the jump is skipped, the others
    // of the rule are judged.
    let rt04 = plan
        .rules
        .iter()
        .find(|r| r.rule == RuleId::CoreRt04)
        .unwrap();
    assert!(matches!(rt04.status, RuleStatus::Judged { .. }), "{rt04:?}");
    for case in &rt04.cases {
        let expected = (case.case == "no-token-expired").then_some(Need::ClockControl);
        assert_eq!(case.skip, expected, "{}", case.case);
    }
}

#[test]
fn an_optional_step_ends_the_scenario_where_the_target_cannot_take_it() {
    let catalogue = Catalogue::builtin().unwrap();
    // No grant-restricted client and no redirect URI with a query.
    let mut target = target_with(|text| text);
    target.clients.grant_restricted = None;
    target.redirect.with_query = None;
    assert!(!target.meets(Need::GrantRestrictedClient));
    assert!(!target.meets(Need::QueryRedirectUri));
    let scenarios: Vec<Scenario> = generic()
        .into_iter()
        .filter(|s| s.name == "token-request-errors" || s.name == "code-redirect-uri-binding")
        .collect();
    let plan = Plan::build(&target, &scenarios, catalogue, &Selection::default()).unwrap();
    for planned in &plan.scenarios {
        assert_eq!(planned.status, ScenarioStatus::Run, "{}", planned.name);
    }
    let labels = |scenario: &Scenario| {
        scenario
            .as_run(|need| target.meets(need))
            .steps
            .iter()
            .map(|step| step.label.clone())
            .collect::<Vec<_>>()
    };
    let errors = labels(&scenarios[1]);
    assert!(
        errors.contains(&"token-password-grant".to_owned()),
        "{errors:?}"
    );
    assert!(
        !errors.contains(&"token-wrong-client-secret".to_owned()),
        "{errors:?}"
    );
    let binding = labels(&scenarios[0]);
    assert_eq!(
        binding.last().map(String::as_str),
        Some("code-exchange-redirect-uri-omitted"),
        "{binding:?}"
    );
    // The cases that need the missing parts are skipped, the rest judged.
    let ac05 = plan
        .rules
        .iter()
        .find(|r| r.rule == RuleId::CoreAc05)
        .unwrap();
    for case in &ac05.cases {
        let expected = (case.case == "no-token-different").then_some(Need::QueryRedirectUri);
        assert_eq!(case.skip, expected, "{}", case.case);
    }
    let cb03 = plan
        .rules
        .iter()
        .find(|r| r.rule == RuleId::CoreCb03)
        .unwrap();
    assert_eq!(
        cb03.status,
        RuleStatus::Skip {
            need: Need::QueryRedirectUri
        }
    );
}

#[test]
fn a_scope_the_profile_does_not_offer_skips_the_scenario() {
    let catalogue = Catalogue::builtin().unwrap();
    let mut target = target_with(|text| text);
    // ConnectPay's vocabulary: no funds-confirmation service.
    target.profile.service_scopes = psd2_core::ServiceScopes::connectpay();
    let plan = Plan::build(&target, &generic(), catalogue, &Selection::default()).unwrap();
    let cbpii = plan
        .scenarios
        .iter()
        .find(|s| s.name == "resource-out-of-scope-cbpii-on-ais")
        .unwrap();
    let ScenarioStatus::Unmet { need, reason } = &cbpii.status else {
        panic!("{:?}", cbpii.status);
    };
    assert_eq!(*need, Need::Resource);
    assert!(
        reason.contains("funds-confirmation") && reason.contains("profile.service_scopes"),
        "{reason}"
    );
    // A scenario whose scopes the profile offers still runs.
    assert!(plan.runnable().any(|s| s.name == "resource-access"));
}

#[test]
fn a_scope_reference_must_name_a_service() {
    let text = format!(
        "{HEAD}[[step]]\nkind = \"authorize\"\nlabel = \"authorize-x\"\nparams = {{ scope = \"${{scope.accounts}}\" }}\n"
    );
    let error = error_of(&text);
    assert!(
        error.contains("\"accounts\" is not a service") && error.contains("account-information"),
        "{error}"
    );
}

#[test]
fn a_resource_service_the_target_does_not_declare_skips_the_scenario() {
    let catalogue = Catalogue::builtin().unwrap();
    let target = target_with(|text| text.replace("accounts = \"/accounts\"\n", ""));
    let plan = Plan::build(&target, &generic(), catalogue, &Selection::default()).unwrap();
    let access = plan
        .scenarios
        .iter()
        .find(|s| s.name == "resource-access")
        .unwrap();
    let ScenarioStatus::Unmet { need, reason } = &access.status else {
        panic!("{:?}", access.status);
    };
    assert_eq!(*need, Need::Resource);
    assert!(
        reason.contains("resource-no-credentials")
            && reason.contains("capabilities.resources.accounts"),
        "{reason}"
    );
    assert!(plan.runnable().all(|s| s.name != "resource-access"));
    // Its rules no running scenario feeds are skipped for the need, with a
    // skip finding per case, not judged nor left to error.
    let mut skipped = 0;
    for rule in &access.rules {
        let fed_elsewhere = plan.runnable().any(|s| s.rules.contains(rule));
        let planned = plan.rules.iter().find(|r| r.rule == *rule).unwrap();
        if fed_elsewhere {
            assert!(
                matches!(planned.status, RuleStatus::Judged { .. }),
                "{planned:?}"
            );
        } else {
            skipped += 1;
            assert_eq!(
                planned.status,
                RuleStatus::Skip {
                    need: Need::Resource
                }
            );
            assert!(plan.skip_findings().iter().any(|f| f.rule == *rule
                && f.outcome
                    == Outcome::Skip {
                        need: Need::Resource
                    }));
        }
    }
    assert!(skipped > 0);
    // Declared, the same scenario runs.
    let full = Plan::build(
        &target_with(|text| text),
        &generic(),
        catalogue,
        &Selection::default(),
    )
    .unwrap();
    assert!(full.runnable().any(|s| s.name == "resource-access"));
}
