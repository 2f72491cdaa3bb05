//! `hash`: digests and HMACs, hex by default or raw bytes (manifest: hash.json; runtime
//! `hash/spec.md`).

use hmac::{Hmac, Mac};
use mlua::{Lua, LuaString, Table};
use sha2::Digest;

use super::reg::Reg;

fn out(lua: &Lua, bytes: &[u8], raw: Option<bool>) -> mlua::Result<LuaString> {
    if raw == Some(true) {
        lua.create_string(bytes)
    } else {
        lua.create_string(hex::encode(bytes))
    }
}

fn digest<D: Digest>(data: &[u8]) -> Vec<u8> {
    D::digest(data).to_vec()
}

fn hmac<M: Mac + hmac::digest::KeyInit>(data: &[u8], key: &[u8]) -> Vec<u8> {
    let mut m = <M as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

/// FNV-1a (32 or 64 bit): `offset`, `prime`, computed in u64 and truncated by `mask`.
fn fnv1a(data: &[u8], offset: u64, prime: u64, bits32: bool) -> u64 {
    let mut h = offset;
    for b in data {
        h ^= u64::from(*b);
        h = h.wrapping_mul(prime);
        if bits32 {
            h &= 0xffff_ffff;
        }
    }
    h
}

/// The `hash` module table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let r = Reg::new(lua, "hash")?;
    type DigestFn = fn(&[u8]) -> Vec<u8>;
    let digests: [(&str, DigestFn); 4] = [
        ("md5", digest::<md5::Md5>),
        ("sha1", digest::<sha1::Sha1>),
        ("sha256", digest::<sha2::Sha256>),
        ("sha512", digest::<sha2::Sha512>),
    ];
    for (name, f) in digests {
        r.fallible(
            name,
            1,
            Some(2),
            move |lua, (data, raw): (LuaString, Option<bool>)| {
                Ok(out(lua, &f(&data.as_bytes()), raw)?)
            },
        )?;
    }
    type HmacFn = fn(&[u8], &[u8]) -> Vec<u8>;
    let hmacs: [(&str, HmacFn); 4] = [
        ("hmac_md5", hmac::<Hmac<md5::Md5>>),
        ("hmac_sha1", hmac::<Hmac<sha1::Sha1>>),
        ("hmac_sha256", hmac::<Hmac<sha2::Sha256>>),
        ("hmac_sha512", hmac::<Hmac<sha2::Sha512>>),
    ];
    for (name, f) in hmacs {
        r.fallible(
            name,
            2,
            Some(3),
            move |lua, (data, secret, raw): (LuaString, LuaString, Option<bool>)| {
                Ok(out(lua, &f(&data.as_bytes(), &secret.as_bytes()), raw)?)
            },
        )?;
    }
    r.fallible("fnv32", 1, Some(1), |_, data: LuaString| {
        Ok(fnv1a(&data.as_bytes(), 0x811c_9dc5, 0x0100_0193, true) as f64)
    })?;
    r.fallible("fnv64", 1, Some(1), |_, data: LuaString| {
        Ok(fnv1a(
            &data.as_bytes(),
            0xcbf2_9ce4_8422_2325,
            0x0000_0100_0000_01b3,
            false,
        ) as f64)
    })?;
    Ok(r.table().clone())
}

/// HMAC-SHA256 / HMAC-SHA512 of `data` under `key` (shared with `crypto.hmac`).
pub fn hmac_sha(data: &[u8], key: &[u8], wide: bool) -> Vec<u8> {
    if wide {
        hmac::<Hmac<sha2::Sha512>>(data, key)
    } else {
        hmac::<Hmac<sha2::Sha256>>(data, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_reference_vectors() {
        // FNV-1a test vectors (draft-eastlake-fnv): "a".
        assert_eq!(fnv1a(b"a", 0x811c_9dc5, 0x0100_0193, true), 0xe40c_292c);
        assert_eq!(
            fnv1a(b"a", 0xcbf2_9ce4_8422_2325, 0x0000_0100_0000_01b3, false),
            0xaf63_dc4c_8601_ec8c
        );
    }
}
