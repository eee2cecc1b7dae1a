//! Open string enums: protocol values that decode whatever was sent, with
//! named constants for the registered ones (the rustls `enum_builder!` idea
//! applied to OAuth's string registries).

/// Declares `pub struct $name(Cow<'static, str>)` with a constant per known
/// value, `as_str`, `is_known`, `Display`, `From<&str>`, `From<String>` and a
/// transparent serde form.
///
/// Exported (hidden) so that `psd2-wire` declares its own registries the
/// same way: `psd2_core::open_str_enum! { ... }`.
#[doc(hidden)]
#[macro_export]
macro_rules! open_str_enum {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$vmeta:meta])* $konst:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(std::borrow::Cow<'static, str>);

        impl $name {
            $( $(#[$vmeta])* pub const $konst: $name = $name(std::borrow::Cow::Borrowed($wire)); )+

            /// Every registered value this crate names.
            pub const KNOWN: &'static [$name] = &[ $( $name::$konst ),+ ];

            /// The value as sent on the wire.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Whether the value is one of the named constants.
            #[must_use]
            pub fn is_known(&self) -> bool {
                Self::KNOWN.iter().any(|known| known.as_str() == self.as_str())
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::KNOWN
                    .iter()
                    .find(|known| known.as_str() == value)
                    .cloned()
                    .unwrap_or_else(|| $name(std::borrow::Cow::Owned(value.to_owned())))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match Self::KNOWN.iter().find(|known| known.as_str() == value) {
                    Some(known) => known.clone(),
                    None => $name(std::borrow::Cow::Owned(value)),
                }
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as $crate::__serde::Deserialize>::deserialize(deserializer).map($name::from)
            }
        }
    };
}

pub(crate) use crate::open_str_enum;
