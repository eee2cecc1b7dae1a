//! Key material: one signing key per [`Minter`](crate::Minter), verifying
//! keys for the [`KeySet`](crate::KeySet) a [`Verifier`](crate::Verifier)
//! trusts.
//!
//! As with rustls's `CryptoProvider`, the keys are plain values handed to the
//! minter and verifier, so that tests and the reference server plug in fixed
//! keys while production loads them from its store.

use std::fmt;

use psd2_core::Secret;
use ring::hmac;
use ring::rand::SecureRandom;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _,
    UnparsedPublicKey,
};

use crate::alg::Algorithm;
use crate::b64;
use crate::error::{KeyError, MintError, VerifyError};
use crate::header::{self, ACCESS_TOKEN_TYP, REFRESH_TOKEN_TYP};
use crate::ids::KeyId;

/// An uncompressed P-256 point: `04 || X || Y`.
const P256_POINT_LEN: usize = 65;
/// ES256 signatures are `R || S`, 32 bytes each (RFC 7518 §3.4).
const ES256_SIGNATURE_LEN: usize = 64;
/// HS256 tags and the shortest accepted HS256 secret (RFC 7518 §3.2).
const HS256_LEN: usize = 32;

/// A private key with its id: signs tokens.
pub struct SigningKey {
    id: KeyId,
    material: SigningMaterial,
}

enum SigningMaterial {
    Es256(EcdsaKeyPair),
    Hs256(hmac::Key),
}

impl SigningKey {
    /// Generates a fresh ES256 key and returns it with its PKCS#8 encoding,
    /// which the caller stores to load the same key again with
    /// [`SigningKey::es256_from_pkcs8`].
    ///
    /// # Errors
    /// [`KeyError::Random`] when the generator fails.
    pub fn generate_es256(
        id: KeyId,
        rng: &dyn SecureRandom,
    ) -> Result<(Self, Secret<Vec<u8>>), KeyError> {
        let document = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, rng)
            .map_err(|_| KeyError::Random)?;
        let pkcs8 = Secret::new(document.as_ref().to_vec());
        let key = Self::es256_from_pkcs8(id, &pkcs8, rng)?;
        Ok((key, pkcs8))
    }

    /// Loads an ES256 key from a PKCS#8 v1 or v2 document (DER), as
    /// [`SigningKey::generate_es256`] or `openssl pkcs8 -topk8` write it.
    ///
    /// # Errors
    /// [`KeyError::Rejected`] with ring's reason.
    pub fn es256_from_pkcs8<T: AsRef<[u8]>>(
        id: KeyId,
        pkcs8: &Secret<T>,
        rng: &dyn SecureRandom,
    ) -> Result<Self, KeyError> {
        let pair = EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            pkcs8.expose().as_ref(),
            rng,
        )
        .map_err(|e| KeyError::Rejected(e.to_string()))?;
        Ok(Self {
            id,
            material: SigningMaterial::Es256(pair),
        })
    }

    /// Loads an ES256 key from its private scalar (32 bytes, a JWK's `d`) and
    /// its public point (`04 || X || Y`, a JWK's `x` and `y`). ring checks
    /// that the two belong together.
    ///
    /// # Errors
    /// [`KeyError::Rejected`] with ring's reason.
    pub fn es256_from_components<T: AsRef<[u8]>>(
        id: KeyId,
        private_scalar: &Secret<T>,
        public_point: &[u8],
        rng: &dyn SecureRandom,
    ) -> Result<Self, KeyError> {
        let pair = EcdsaKeyPair::from_private_key_and_public_key(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            private_scalar.expose().as_ref(),
            public_point,
            rng,
        )
        .map_err(|e| KeyError::Rejected(e.to_string()))?;
        Ok(Self {
            id,
            material: SigningMaterial::Es256(pair),
        })
    }

    /// An HS256 key. Whoever verifies with it can also mint with it, so use
    /// it where the signer is the only verifier.
    ///
    /// # Errors
    /// [`KeyError::HmacTooShort`] for a secret under 32 bytes.
    pub fn hs256<T: AsRef<[u8]>>(id: KeyId, secret: &Secret<T>) -> Result<Self, KeyError> {
        Ok(Self {
            id,
            material: SigningMaterial::Hs256(hmac_key(secret)?),
        })
    }

    /// The key id, written into every header this key signs.
    #[must_use]
    pub fn id(&self) -> &KeyId {
        &self.id
    }

    /// The algorithm, fixed by the key.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        match self.material {
            SigningMaterial::Es256(_) => Algorithm::Es256,
            SigningMaterial::Hs256(_) => Algorithm::Hs256,
        }
    }

    /// The key that verifies what this key signs: the public point for
    /// ES256, the same secret for HS256.
    #[must_use]
    pub fn verifying_key(&self) -> VerifyingKey {
        let material = match &self.material {
            SigningMaterial::Es256(pair) => {
                let mut point = [0u8; P256_POINT_LEN];
                point.copy_from_slice(pair.public_key().as_ref());
                VerifyingMaterial::Es256(UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point))
            }
            SigningMaterial::Hs256(key) => VerifyingMaterial::Hs256(key.clone()),
        };
        VerifyingKey::from_parts(self.id.clone(), material)
    }

    /// Appends the base64url signature of `message` to `out`.
    pub(crate) fn sign_into(
        &self,
        rng: &dyn SecureRandom,
        message: &[u8],
        out: &mut String,
    ) -> Result<(), MintError> {
        match &self.material {
            SigningMaterial::Es256(pair) => {
                let signature = pair.sign(rng, message).map_err(|_| MintError::Signing)?;
                b64::encode_into(signature.as_ref(), out);
            }
            SigningMaterial::Hs256(key) => b64::encode_into(hmac::sign(key, message).as_ref(), out),
        }
        Ok(())
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("id", &self.id)
            .field("algorithm", &self.algorithm())
            .finish_non_exhaustive()
    }
}

/// A public key (ES256) or shared secret (HS256) with its id: verifies tokens.
#[derive(Clone)]
pub struct VerifyingKey {
    id: KeyId,
    material: VerifyingMaterial,
    /// The encoded headers this crate's minter writes for this key, access
    /// then refresh. A token whose header segment is byte-for-byte one of
    /// these passes every header check, so the verifier skips decoding it.
    minted_headers: [String; 2],
}

#[derive(Clone)]
enum VerifyingMaterial {
    Es256(UnparsedPublicKey<[u8; P256_POINT_LEN]>),
    Hs256(hmac::Key),
}

impl VerifyingKey {
    /// An ES256 public key from its uncompressed point (`04 || X || Y`, 65
    /// bytes). ring checks that the point is on the curve at each
    /// verification; a point that is not makes every verification fail.
    ///
    /// # Errors
    /// [`KeyError::PublicKey`] for another length or a compressed point.
    pub fn es256(id: KeyId, public_point: &[u8]) -> Result<Self, KeyError> {
        let point: [u8; P256_POINT_LEN] =
            public_point.try_into().map_err(|_| KeyError::PublicKey)?;
        if point[0] != 0x04 {
            return Err(KeyError::PublicKey);
        }
        let material =
            VerifyingMaterial::Es256(UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point));
        Ok(Self::from_parts(id, material))
    }

    /// An HS256 shared secret.
    ///
    /// # Errors
    /// [`KeyError::HmacTooShort`] for a secret under 32 bytes.
    pub fn hs256<T: AsRef<[u8]>>(id: KeyId, secret: &Secret<T>) -> Result<Self, KeyError> {
        Ok(Self::from_parts(
            id,
            VerifyingMaterial::Hs256(hmac_key(secret)?),
        ))
    }

    fn from_parts(id: KeyId, material: VerifyingMaterial) -> Self {
        let algorithm = match material {
            VerifyingMaterial::Es256(_) => Algorithm::Es256,
            VerifyingMaterial::Hs256(_) => Algorithm::Hs256,
        };
        let minted_headers = [
            header::encode(algorithm, ACCESS_TOKEN_TYP, &id),
            header::encode(algorithm, REFRESH_TOKEN_TYP, &id),
        ];
        Self {
            id,
            material,
            minted_headers,
        }
    }

    /// Whether `segment` is exactly the header this crate mints for this key
    /// and token type.
    pub(crate) fn is_minted_header(&self, segment: &[u8], typ: &str) -> bool {
        let minted = if typ == ACCESS_TOKEN_TYP {
            &self.minted_headers[0]
        } else {
            &self.minted_headers[1]
        };
        minted.as_bytes() == segment
    }

    /// The key id.
    #[must_use]
    pub fn id(&self) -> &KeyId {
        &self.id
    }

    /// The algorithm, fixed by the key.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        match self.material {
            VerifyingMaterial::Es256(_) => Algorithm::Es256,
            VerifyingMaterial::Hs256(_) => Algorithm::Hs256,
        }
    }

    /// The ES256 public point (`04 || X || Y`), to publish in a JWK set;
    /// `None` for HS256, whose secret is never handed out.
    #[must_use]
    pub fn public_point(&self) -> Option<&[u8]> {
        match &self.material {
            VerifyingMaterial::Es256(key) => Some(key.as_ref()),
            VerifyingMaterial::Hs256(_) => None,
        }
    }

    /// Checks `signature` (the base64url segment) over `message`. HS256 goes
    /// through `ring::hmac::verify`, which compares in constant time.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), VerifyError> {
        let verified = match &self.material {
            VerifyingMaterial::Es256(key) => b64::decode_exact::<ES256_SIGNATURE_LEN>(signature)
                .map(|raw| key.verify(message, &raw)),
            VerifyingMaterial::Hs256(key) => b64::decode_exact::<HS256_LEN>(signature)
                .map(|raw| hmac::verify(key, message, &raw)),
        };
        match verified {
            Some(Ok(())) => Ok(()),
            Some(Err(_)) => Err(VerifyError::BadSignature),
            // Valid base64 of the wrong length is a wrong signature; text that
            // is not base64 at all is a syntax error.
            None => match b64::decode("signature", signature) {
                Ok(_) => Err(VerifyError::BadSignature),
                Err(e) => Err(e),
            },
        }
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("id", &self.id)
            .field("algorithm", &self.algorithm())
            .finish_non_exhaustive()
    }
}

fn hmac_key<T: AsRef<[u8]>>(secret: &Secret<T>) -> Result<hmac::Key, KeyError> {
    let bytes = secret.expose().as_ref();
    if bytes.len() < HS256_LEN {
        return Err(KeyError::HmacTooShort {
            len: bytes.len(),
            min: HS256_LEN,
        });
    }
    Ok(hmac::Key::new(hmac::HMAC_SHA256, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Malformation;
    use ring::rand::SystemRandom;

    fn id(text: &str) -> KeyId {
        KeyId::new(text).unwrap()
    }

    #[test]
    fn hmac_secrets_of_32_bytes_or_more() {
        let short = Secret::new([1u8; 31]);
        assert_eq!(
            SigningKey::hs256(id("h"), &short).err(),
            Some(KeyError::HmacTooShort { len: 31, min: 32 })
        );
        assert!(VerifyingKey::hs256(id("h"), &short).is_err());
        assert!(SigningKey::hs256(id("h"), &Secret::new([1u8; 32])).is_ok());
    }

    #[test]
    fn public_points_are_uncompressed() {
        assert_eq!(
            VerifyingKey::es256(id("e"), &[4u8; 64]).err(),
            Some(KeyError::PublicKey)
        );
        let mut compressed = [0u8; 65];
        compressed[0] = 0x02;
        assert_eq!(
            VerifyingKey::es256(id("e"), &compressed).err(),
            Some(KeyError::PublicKey)
        );
    }

    #[test]
    fn generated_key_reloads_and_verifies() {
        let rng = SystemRandom::new();
        let (key, pkcs8) = SigningKey::generate_es256(id("gen"), &rng).unwrap();
        let again = SigningKey::es256_from_pkcs8(id("gen"), &pkcs8, &rng).unwrap();
        assert_eq!(
            key.verifying_key().public_point(),
            again.verifying_key().public_point()
        );
        let mut signature = String::new();
        key.sign_into(&rng, b"a.b", &mut signature).unwrap();
        assert_eq!(
            again.verifying_key().verify(b"a.b", signature.as_bytes()),
            Ok(())
        );
        assert_eq!(
            again.verifying_key().verify(b"a.c", signature.as_bytes()),
            Err(VerifyError::BadSignature)
        );
        assert!(format!("{pkcs8:?}").contains("REDACTED"));
        assert_eq!(
            SigningKey::es256_from_pkcs8(id("x"), &Secret::new(b"not der".to_vec()), &rng).err(),
            Some(KeyError::Rejected("InvalidEncoding".into()))
        );
    }

    #[test]
    fn signature_segment_syntax() {
        let key = VerifyingKey::hs256(id("h"), &Secret::new([9u8; 32])).unwrap();
        // Base64 of the wrong length: a wrong signature.
        assert_eq!(key.verify(b"m", b"AAAA"), Err(VerifyError::BadSignature));
        // Not base64: a syntax error.
        assert!(matches!(
            key.verify(b"m", b"!!!!"),
            Err(VerifyError::Malformed {
                field: "signature",
                problem: Malformation::Base64
            })
        ));
    }
}
