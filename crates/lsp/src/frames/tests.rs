//! The frame reader over byte streams: every malformed or non-JSON-RPC input is answered, and
//! the message after it still arrives.

use super::*;

fn frame(body: &str) -> Vec<u8> {
    framed(body.as_bytes())
}

const OK: &str = r#"{"jsonrpc":"2.0","id":7,"method":"wippy/ping"}"#;

/// Every frame of `input`.
fn frames(input: Vec<u8>) -> Vec<Frame> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let mut r = FrameReader::new(BufReader::new(std::io::Cursor::new(input)));
        let mut out = Vec::new();
        while let Some(f) = r.next().await.expect("read") {
            out.push(f);
        }
        out
    })
}

fn is_ok(f: &Frame) -> bool {
    matches!(f, Frame::Message(b, Some(m)) if b == OK.as_bytes() && m == "wippy/ping")
}

#[test]
fn json_that_is_not_json_rpc_is_an_invalid_request_and_the_session_goes_on() {
    for bad in [
        "{}",
        "[]",
        r#"{"method":"x"}"#,
        r#"[{"jsonrpc":"2.0","method":"x"}]"#,
        r#"{"jsonrpc":"1.0","method":"x"}"#,
        r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#,
        r#"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#,
        r#"{"jsonrpc":"2.0","method":7}"#,
        r#"{"jsonrpc":"2.0","method":"x","params":"text","id":[1]}"#,
        "42",
    ] {
        let mut input = frame(bad);
        input.extend(frame(OK));
        let got = frames(input);
        assert_eq!(got.len(), 2, "{bad}: {got:?}");
        assert!(matches!(got[0], Frame::Invalid(..)), "{bad}: {got:?}");
        assert!(is_ok(&got[1]), "{bad}: {got:?}");
    }
    // The id of an invalid request is kept when it is usable.
    let got = frames(frame(r#"{"jsonrpc":"2.0","id":3,"method":5}"#));
    assert_eq!(got[0], Frame::Invalid(got_why(&got[0]), Value::from(3)));
}

fn got_why(f: &Frame) -> String {
    match f {
        Frame::Invalid(why, _) => why.clone(),
        _ => String::new(),
    }
}

#[test]
fn valid_messages_of_every_kind_pass() {
    for good in [
        OK,
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        r#"{"jsonrpc":"2.0","method":"exit","params":null}"#,
        r#"{"jsonrpc":"2.0","id":"a","result":null}"#,
        r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"m","data":[1]}}"#,
    ] {
        let got = frames(frame(good));
        assert!(matches!(got[..], [Frame::Message(..)]), "{good}: {got:?}");
    }
}

#[test]
fn a_huge_content_length_does_not_swallow_later_messages() {
    // It used to read 10^15 bytes of "body": every later message vanished.
    let mut input = b"Content-Length: 1000000000000000\r\n\r\n".to_vec();
    input.extend(frame(OK));
    let got = frames(input);
    assert!(
        matches!(&got[0], Frame::Malformed(m) if m.contains("over the 67108864-byte limit")),
        "{got:?}"
    );
    assert!(is_ok(&got[1]), "{got:?}");
    assert_eq!(got.len(), 2);
}

#[test]
fn header_lines_are_capped() {
    // A megabyte without a line break, then a message right behind it on the same "line".
    let mut input = vec![b'x'; 1 << 20];
    input.extend(frame(OK));
    let got = frames(input);
    assert!(
        matches!(&got[0], Frame::Malformed(m) if m.contains("longer than 8192 bytes")),
        "{got:?}"
    );
    assert!(is_ok(&got[1]), "{got:?}");
    assert_eq!(got.len(), 2);
}

#[test]
fn other_framing_errors_resynchronise() {
    let cases: Vec<Vec<u8>> = vec![
        b"Content-Type: x\r\n\r\n{}".to_vec(),
        b"Content-Length: ten\r\n\r\n{}".to_vec(),
        b"no colon here\r\n\r\n".to_vec(),
    ];
    for bad in cases {
        let mut input = bad.clone();
        input.extend(frame(OK));
        let got = frames(input);
        assert!(matches!(got[0], Frame::Malformed(_)), "{got:?}");
        assert!(
            is_ok(got.last().expect("a frame")),
            "{:?}: {got:?}",
            String::from_utf8_lossy(&bad)
        );
    }
    // A body that is not JSON, with a right length: framing holds, nothing is skipped.
    let mut input = frame("{not json");
    input.extend(frame(OK));
    let got = frames(input);
    assert!(
        matches!(got[0], Frame::Malformed(_)) && is_ok(&got[1]),
        "{got:?}"
    );
    // Header names in any case; other headers ignored.
    let mut input = format!(
        "content-length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
        OK.len()
    )
    .into_bytes();
    input.extend_from_slice(OK.as_bytes());
    assert!(is_ok(&frames(input)[0]));
}
