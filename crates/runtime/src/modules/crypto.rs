//! `crypto`: secure random values, HMAC, authenticated encryption (AES-GCM, ChaCha20-Poly1305
//! with the 12-byte nonce prepended), JWT (HS256/384/512, RS256), PBKDF2 and constant-time
//! comparison (manifest: crypto.json; runtime `crypto/spec.md`).

use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes128Gcm, Aes256Gcm, AesGcm};
use chacha20poly1305::ChaCha20Poly1305;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use mlua::{Lua, LuaString, Table, Value};
use rand::{Rng, RngCore};

use super::reg::{internal, invalid, Out, Reg};
use host::value::{from_json, to_json};

/// Largest `random.bytes`/`random.string` length (1 MiB, per the spec).
const MAX_RANDOM: usize = 1 << 20;
const NONCE: usize = 12;
const ALPHANUMERIC: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn length(n: i64, what: &str) -> Out<usize> {
    if n <= 0 || n as usize > MAX_RANDOM {
        return Err(invalid(format!(
            "{what}: length must be 1 to {MAX_RANDOM}, got {n}"
        )));
    }
    Ok(n as usize)
}

fn seal(alg: &str, data: &[u8], key: &[u8], aad: &[u8]) -> Out<Vec<u8>> {
    let mut nonce = [0u8; NONCE];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let payload = Payload { msg: data, aad };
    let sealed = match (alg, key.len()) {
        ("aes", 16) => Aes128Gcm::new_from_slice(key)
            .ok()
            .and_then(|c| c.encrypt((&nonce).into(), payload).ok()),
        ("aes", 24) => AesGcm::<aes_gcm::aes::Aes192, U12>::new_from_slice(key)
            .ok()
            .and_then(|c| c.encrypt((&nonce).into(), payload).ok()),
        ("aes", 32) => Aes256Gcm::new_from_slice(key)
            .ok()
            .and_then(|c| c.encrypt((&nonce).into(), payload).ok()),
        ("chacha20", 32) => ChaCha20Poly1305::new_from_slice(key)
            .ok()
            .and_then(|c| c.encrypt((&nonce).into(), payload).ok()),
        ("aes", n) => {
            return Err(invalid(format!(
                "crypto.encrypt.aes: key must be 16, 24 or 32 bytes, got {n}"
            )))
        }
        (_, n) => {
            return Err(invalid(format!(
                "crypto.encrypt.chacha20: key must be 32 bytes, got {n}"
            )))
        }
    };
    let mut out = nonce.to_vec();
    out.extend(sealed.ok_or_else(|| internal(format!("crypto.encrypt.{alg}: encryption failed")))?);
    Ok(out)
}

fn open(alg: &str, data: &[u8], key: &[u8], aad: &[u8]) -> Out<Vec<u8>> {
    if !matches!((alg, key.len()), ("aes", 16 | 24 | 32) | ("chacha20", 32)) {
        let want = if alg == "aes" { "16, 24 or 32" } else { "32" };
        return Err(invalid(format!(
            "crypto.decrypt.{alg}: key must be {want} bytes, got {}",
            key.len()
        )));
    }
    if data.len() < NONCE + 16 {
        return Err(invalid(format!("crypto.decrypt.{alg}: data too short")));
    }
    let (nonce, msg) = data.split_at(NONCE);
    let payload = Payload { msg, aad };
    let opened = match (alg, key.len()) {
        ("aes", 16) => Aes128Gcm::new_from_slice(key)
            .ok()
            .and_then(|c| c.decrypt(nonce.into(), payload).ok()),
        ("aes", 24) => AesGcm::<aes_gcm::aes::Aes192, U12>::new_from_slice(key)
            .ok()
            .and_then(|c| c.decrypt(nonce.into(), payload).ok()),
        ("aes", _) => Aes256Gcm::new_from_slice(key)
            .ok()
            .and_then(|c| c.decrypt(nonce.into(), payload).ok()),
        _ => ChaCha20Poly1305::new_from_slice(key)
            .ok()
            .and_then(|c| c.decrypt(nonce.into(), payload).ok()),
    };
    opened.ok_or_else(|| internal(format!("crypto.decrypt.{alg}: authentication failed")))
}

fn algorithm(alg: Option<String>) -> Out<Algorithm> {
    match alg.as_deref().unwrap_or("HS256") {
        "HS256" => Ok(Algorithm::HS256),
        "HS384" => Ok(Algorithm::HS384),
        "HS512" => Ok(Algorithm::HS512),
        "RS256" => Ok(Algorithm::RS256),
        other => Err(invalid(format!(
            "crypto.jwt: unsupported algorithm `{other}` (HS256, HS384, HS512, RS256)"
        ))),
    }
}

fn jwt_encode(payload: Value, key: &[u8], alg: Algorithm) -> Out<String> {
    let Value::Table(t) = &payload else {
        return Err(invalid("crypto.jwt.encode: payload must be a table"));
    };
    let mut header = Header::new(alg);
    if let Value::Table(h) = t.get::<Value>("_header")? {
        header.kid = h.get("kid")?;
        if let Some(typ) = h.get::<Option<String>>("typ")? {
            header.typ = Some(typ);
        }
        header.cty = h.get("cty")?;
    }
    let mut claims = to_json(&payload).map_err(|e| invalid(format!("crypto.jwt.encode: {e}")))?;
    if let Some(o) = claims.as_object_mut() {
        o.remove("_header");
    }
    let key = if alg == Algorithm::RS256 {
        EncodingKey::from_rsa_pem(key)
            .map_err(|e| invalid(format!("crypto.jwt.encode: invalid RSA private key: {e}")))?
    } else {
        EncodingKey::from_secret(key)
    };
    jsonwebtoken::encode(&header, &claims, &key)
        .map_err(|e| internal(format!("crypto.jwt.encode: {e}")))
}

fn jwt_verify(lua: &Lua, token: &str, key: &[u8], alg: Algorithm, require_exp: bool) -> Out<Value> {
    let key = if alg == Algorithm::RS256 {
        DecodingKey::from_rsa_pem(key)
            .map_err(|e| internal(format!("crypto.jwt.verify: invalid RSA public key: {e}")))?
    } else {
        DecodingKey::from_secret(key)
    };
    let mut v = Validation::new(alg);
    v.validate_aud = false;
    v.required_spec_claims.clear();
    if require_exp {
        v.required_spec_claims.insert("exp".into());
    }
    let data = jsonwebtoken::decode::<serde_json::Value>(token, &key, &v)
        .map_err(|e| internal(format!("crypto.jwt.verify: {e}")))?;
    Ok(from_json(lua, &data.claims)?)
}

fn pbkdf2(
    password: &[u8],
    salt: &[u8],
    iterations: i64,
    len: i64,
    hash: Option<String>,
) -> Out<Vec<u8>> {
    if password.is_empty() || salt.is_empty() {
        return Err(invalid(
            "crypto.pbkdf2: password and salt must not be empty",
        ));
    }
    if !(1..=10_000_000).contains(&iterations) {
        return Err(invalid(format!(
            "crypto.pbkdf2: iterations must be 1 to 10000000, got {iterations}"
        )));
    }
    let len = length(len, "crypto.pbkdf2")?;
    let mut out = vec![0u8; len];
    match hash.as_deref().unwrap_or("sha256") {
        "sha256" => {
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, iterations as u32, &mut out)
        }
        "sha512" => {
            pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, iterations as u32, &mut out)
        }
        other => {
            return Err(invalid(format!(
                "crypto.pbkdf2: unsupported hash `{other}` (sha256, sha512)"
            )))
        }
    }
    Ok(out)
}

/// The `crypto` module table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let r = Reg::new(lua, "crypto")?;
    let random = r.sub("random")?;
    random.fallible("bytes", 1, Some(1), |lua, n: i64| {
        let mut b = vec![0u8; length(n, "crypto.random.bytes")?];
        rand::rngs::OsRng.fill_bytes(&mut b);
        Ok(lua.create_string(b)?)
    })?;
    random.fallible(
        "string",
        1,
        Some(2),
        |_, (n, charset): (i64, Option<String>)| {
            let n = length(n, "crypto.random.string")?;
            let chars: Vec<char> = charset.as_deref().unwrap_or(ALPHANUMERIC).chars().collect();
            if chars.is_empty() {
                return Err(invalid("crypto.random.string: empty charset"));
            }
            let mut rng = rand::rngs::OsRng;
            Ok((0..n)
                .map(|_| chars[rng.gen_range(0..chars.len())])
                .collect::<String>())
        },
    )?;
    random.fallible("uuid", 0, Some(0), |_, ()| {
        Ok(uuid::Uuid::new_v4().to_string())
    })?;
    let hmac = r.sub("hmac")?;
    for (name, wide) in [("sha256", false), ("sha512", true)] {
        hmac.fallible(
            name,
            2,
            Some(2),
            move |_, (key, data): (LuaString, LuaString)| {
                if key.as_bytes().is_empty() {
                    return Err(invalid(format!("crypto.hmac.{name}: empty key")));
                }
                Ok(hex::encode(super::hash::hmac_sha(
                    &data.as_bytes(),
                    &key.as_bytes(),
                    wide,
                )))
            },
        )?;
    }
    let (enc, dec) = (r.sub("encrypt")?, r.sub("decrypt")?);
    for alg in ["aes", "chacha20"] {
        enc.fallible(
            alg,
            2,
            Some(3),
            move |lua, (d, k, aad): (LuaString, LuaString, Option<LuaString>)| {
                let aad = aad.map(|a| a.as_bytes().to_vec()).unwrap_or_default();
                Ok(lua.create_string(seal(alg, &d.as_bytes(), &k.as_bytes(), &aad)?)?)
            },
        )?;
        dec.fallible(
            alg,
            2,
            Some(3),
            move |lua, (d, k, aad): (LuaString, LuaString, Option<LuaString>)| {
                let aad = aad.map(|a| a.as_bytes().to_vec()).unwrap_or_default();
                Ok(lua.create_string(open(alg, &d.as_bytes(), &k.as_bytes(), &aad)?)?)
            },
        )?;
    }
    let jwt = r.sub("jwt")?;
    jwt.fallible(
        "encode",
        2,
        Some(3),
        |_, (payload, key, alg): (Value, LuaString, Option<String>)| {
            jwt_encode(payload, &key.as_bytes(), algorithm(alg)?)
        },
    )?;
    jwt.fallible(
        "verify",
        2,
        Some(4),
        |lua, (token, key, alg, req): (String, LuaString, Option<String>, Option<bool>)| {
            jwt_verify(
                lua,
                &token,
                &key.as_bytes(),
                algorithm(alg)?,
                req.unwrap_or(true),
            )
        },
    )?;
    r.fallible(
        "pbkdf2",
        4,
        Some(5),
        |lua, (pw, salt, it, len, hash): (LuaString, LuaString, i64, i64, Option<String>)| {
            Ok(lua.create_string(pbkdf2(&pw.as_bytes(), &salt.as_bytes(), it, len, hash)?)?)
        },
    )?;
    r.plain(
        "constant_time_compare",
        2,
        Some(2),
        |_, (a, b): (LuaString, LuaString)| {
            let (a, b) = (a.as_bytes(), b.as_bytes());
            Ok(bool::from(subtle::ConstantTimeEq::ct_eq(&a[..], &b[..])))
        },
    )?;
    Ok(r.table().clone())
}
