//! The event stream frame decoder: a body of concatenated frames goes through
//! `event_stream::MessageDecoder` in chunks, and every message it reads must encode back to
//! exactly the bytes of its frame and be read alike by `decode_message`; where the decoder
//! fails (or the body ends inside a frame), `decode_message` must fail on the same bytes too.
//! Corrupt, truncated or oversized frames must fail with an error, never a panic, and never
//! allocate for lengths they only declare.
//!
//! Input: byte 0 picks the chunk size (0: the whole body at once, else 1 to 255 bytes); the
//! rest is the body. Seeds: the encoded events of the restJson1 `eventStreamTests`, and
//! hand-built frames and streams. Caps (run.sh): `-rss_limit_mb=512 -malloc_limit_mb=256
//! -timeout=5 -max_len=65536`.
#![no_main]

use aws_lite_runtime::event_stream::{decode_message, MessageDecoder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let chunk_size = if selector == 0 { body.len().max(1) } else { usize::from(selector) };
    let mut decoder = MessageDecoder::new();
    // Where the frame the decoder reads next starts in `body`.
    let mut offset = 0;
    for chunk in body.chunks(chunk_size) {
        decoder.push(chunk);
        loop {
            match decoder.next_message() {
                Ok(Some(message)) => {
                    let frame = message.encode().expect("a decoded message encodes");
                    let end = offset + frame.len();
                    assert_eq!(body.get(offset..end), Some(frame.as_ref()), "re-encoded frame differs");
                    assert_eq!(decode_message(&frame).as_ref(), Ok(&message), "decode_message disagrees");
                    offset = end;
                }
                Ok(None) => break,
                Err(err) => {
                    std::hint::black_box(err.to_string());
                    assert!(decode_message(&body[offset..]).is_err(), "decode_message accepts a failing frame");
                    return;
                }
            }
        }
    }
    assert_eq!(decoder.buffered(), body.len() - offset);
    match decoder.finish() {
        Ok(()) => assert_eq!(offset, body.len()),
        Err(err) => {
            std::hint::black_box(err.to_string());
            assert!(decode_message(&body[offset..]).is_err(), "decode_message accepts a cut frame");
        }
    }
});
