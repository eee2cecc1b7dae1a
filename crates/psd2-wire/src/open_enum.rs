//! Open string enums for the registries psd2-core does not cover: a value
//! that is not registered still decodes, so that a judge, not the decoder,
//! reports it (rustls' `enum_builder!` idea, as psd2-core applies it).

/// Declares `pub struct $name(Cow<'static, str>)` with a constant per known
/// value, `KNOWN`, `as_str`, `is_known`, `Debug`, `Display` and `From` for
/// `&str` and `String`.
macro_rules! open_enum {
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

            /// The value as sent.
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
                match Self::KNOWN.iter().find(|known| known.as_str() == value) {
                    Some(known) => known.clone(),
                    None => $name(std::borrow::Cow::Owned(value.to_owned())),
                }
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
    };
}

pub(crate) use open_enum;
