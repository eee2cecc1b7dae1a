//! ConnectPay's `flowId` parameter and its two spellings.
//!
//! ConnectPay's parameter list says `flowId`; its sample request sends
//! `flowid`. Both are read, and which one was sent is kept, so that a judge can
//! report the spelling and an encoder can reproduce it.

use psd2_core::FlowId;

use crate::params::Params;
use crate::{Form, WireError};

/// How the `flowId` parameter name was spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FlowIdSpelling {
    /// `flowId`, as ConnectPay's parameter list and redirect description
    /// spell it.
    CamelCase,
    /// `flowid`, as ConnectPay's sample request spells it.
    LowerCase,
}

impl FlowIdSpelling {
    /// The parameter name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            FlowIdSpelling::CamelCase => "flowId",
            FlowIdSpelling::LowerCase => "flowid",
        }
    }
}

/// A `flowId` as sent: its value and the spelling of its name.
///
/// ```
/// use psd2_wire::{AuthorizationRequest, FlowIdSpelling, FormMessage};
/// let request = AuthorizationRequest::decode(
///     b"response_type=code&client_id=7d3069b2&flowid=GetPSD2AuthCode",
/// )?;
/// let flow = request.flow_id.as_ref().map(|flow| (flow.value.as_str(), flow.spelling));
/// assert_eq!(flow, Some(("GetPSD2AuthCode", FlowIdSpelling::LowerCase)));
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FlowIdParam {
    /// The value (`GetPSD2AuthCode`).
    pub value: FlowId,
    /// The spelling of the name.
    pub spelling: FlowIdSpelling,
}

impl FlowIdParam {
    /// `flowId=<value>`, spelled as ConnectPay's parameter list spells it.
    #[must_use]
    pub fn new(value: FlowId) -> Self {
        Self {
            value,
            spelling: FlowIdSpelling::CamelCase,
        }
    }
}

/// Both spellings, for a message's list of known names.
pub(crate) const NAMES: [&str; 2] = ["flowId", "flowid"];

/// Reads the parameter under either name. Both names at once are one
/// parameter sent twice.
pub(crate) fn take(params: &mut Params<'_>) -> Result<Option<FlowIdParam>, WireError> {
    let camel = params.take(FlowIdSpelling::CamelCase.name());
    let lower = params.take(FlowIdSpelling::LowerCase.name());
    match (camel, lower) {
        (Some(_), Some(_)) => Err(WireError::DuplicateParameter {
            name: FlowIdSpelling::CamelCase.name().to_owned(),
        }),
        (Some(value), None) => Ok(Some(param(value, FlowIdSpelling::CamelCase))),
        (None, Some(value)) => Ok(Some(param(value, FlowIdSpelling::LowerCase))),
        (None, None) => Ok(None),
    }
}

fn param(value: &str, spelling: FlowIdSpelling) -> FlowIdParam {
    FlowIdParam {
        value: FlowId(value.to_owned()),
        spelling,
    }
}

pub(crate) fn append(form: &mut Form, flow_id: Option<&FlowIdParam>) {
    if let Some(flow) = flow_id {
        form.append(flow.spelling.name(), flow.value.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_at_once_are_a_repeat() {
        let form = Form::decode(b"flowId=a&flowid=b").unwrap();
        let mut params = Params::new(&form, &NAMES).unwrap();
        assert_eq!(
            take(&mut params),
            Err(WireError::DuplicateParameter {
                name: "flowId".to_owned()
            })
        );
    }

    #[test]
    fn spelling_round_trips() {
        for spelling in [FlowIdSpelling::CamelCase, FlowIdSpelling::LowerCase] {
            let mut form = Form::new();
            append(
                &mut form,
                Some(&FlowIdParam {
                    value: FlowId::get_psd2_auth_code(),
                    spelling,
                }),
            );
            let mut params = Params::new(&form, &NAMES).unwrap();
            let read = take(&mut params).unwrap().unwrap();
            assert_eq!(read.spelling, spelling);
            assert_eq!(read.value.as_str(), "GetPSD2AuthCode");
        }
    }
}
