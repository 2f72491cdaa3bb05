//! What reading one archive may cost: the reader charges every decompression to a [`Spend`]
//! before allocating for it, so a small archive cannot make it allocate much (a 2 MB table of
//! contents that asks for 64 GB, 100 chunks of 1 GiB in a 34 KB file, a frame that declares
//! 1 GiB) — it is refused with an error that names the limit.

use std::io::Read as _;

use super::format::CHUNK_SIZE;
use super::reader::WappError;

/// The reader's limits; [`ReadLimits::default`] is what `wippy pack inspect|verify|unpack`,
/// `wippy run` and `wippy check` use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest decompressed table of contents, bytes (default 16 MiB).
    pub max_toc_bytes: u64,
    /// Largest decompressed metadata, entries or tree frame, and largest decompressed single
    /// file, bytes (default 64 MiB).
    pub max_frame_bytes: u64,
    /// Largest sum of everything decompressed or copied out of one archive, bytes (default
    /// 1 GiB).
    pub max_total_bytes: u64,
    /// Most file chunks in one archive (default 65,536: 64 GiB of 1 MiB chunks, far beyond
    /// the total; a bound on per-chunk work when chunks are tiny).
    pub max_chunks: u64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_toc_bytes: 16 << 20,
            max_frame_bytes: 64 << 20,
            max_total_bytes: 1 << 30,
            max_chunks: 1 << 16,
        }
    }
}

/// Human units for messages: `16 MiB`, `1 GiB`, `1000 bytes`.
pub(crate) fn size(n: u64) -> String {
    match n {
        n if n >= 1 << 30 && n % (1 << 30) == 0 => format!("{} GiB", n >> 30),
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}

fn err<T>(msg: String) -> Result<T, WappError> {
    Err(WappError(msg))
}

/// What one read has spent so far.
pub(crate) struct Spend<'a> {
    pub(crate) limits: &'a ReadLimits,
    total: u64,
    chunks: u64,
}

impl<'a> Spend<'a> {
    pub(crate) fn new(limits: &'a ReadLimits) -> Self {
        Spend {
            limits,
            total: 0,
            chunks: 0,
        }
    }

    /// Charge `bytes` of output to the archive's total, before allocating them.
    pub(crate) fn charge(&mut self, what: &str, bytes: u64) -> Result<(), WappError> {
        match self.total.checked_add(bytes) {
            Some(t) if t <= self.limits.max_total_bytes => {
                self.total = t;
                Ok(())
            }
            _ => err(format!(
                "{what}: {bytes} more bytes would pass the {} limit of content read from one archive",
                size(self.limits.max_total_bytes)
            )),
        }
    }

    /// Check the chunk list of a file of `file_size` bytes (sizes as declared) before reading
    /// any chunk: each chunk at most [`CHUNK_SIZE`], no more chunks than the size needs, no more
    /// than [`ReadLimits::max_chunks`] in the archive.
    pub(crate) fn chunks(
        &mut self,
        what: &str,
        file_size: u64,
        sizes: impl Iterator<Item = u64>,
    ) -> Result<(), WappError> {
        let mut count = 0u64;
        let mut sum = 0u64;
        for s in sizes {
            if s > CHUNK_SIZE as u64 {
                return err(format!(
                    "{what}: a chunk of {s} bytes is larger than the {} chunk size",
                    size(CHUNK_SIZE as u64)
                ));
            }
            count += 1;
            sum = sum.saturating_add(s);
        }
        let needed = file_size.div_ceil(CHUNK_SIZE as u64).max(1);
        if count > needed || sum != file_size {
            return err(format!(
                "{what}: {count} chunks of {sum} bytes in all for a file of {file_size} bytes"
            ));
        }
        self.chunks += count;
        if self.chunks > self.limits.max_chunks {
            return err(format!(
                "{what}: more than {} file chunks in the archive (the chunk count limit)",
                self.limits.max_chunks
            ));
        }
        Ok(())
    }

    /// Decompress one zstd frame that must give exactly `expected` bytes, at most `cap`
    /// (`limit` names it in the error). Sizes are checked against the caps, the total and the
    /// frame's own header before anything is allocated.
    pub(crate) fn decompress(
        &mut self,
        what: &str,
        stored: &[u8],
        expected: u64,
        cap: u64,
        limit: &str,
    ) -> Result<Vec<u8>, WappError> {
        if expected > cap {
            return err(format!(
                "{what}: declared size {expected} is over the {} {limit}",
                size(cap)
            ));
        }
        let declared = zstd::zstd_safe::get_frame_content_size(stored)
            .or_else(|_| err(format!("{what}: not a zstd frame")))?;
        if declared.is_some_and(|d| d != expected) {
            return err(format!(
                "{what}: the zstd frame holds {} bytes, the archive says {expected}",
                declared.unwrap_or_default()
            ));
        }
        self.charge(what, expected)?;
        let out = match declared {
            Some(_) => zstd::bulk::decompress(stored, expected as usize)
                .or_else(|e| err(format!("{what}: zstd: {e}")))?,
            // No size in the header: stream, never holding more than one byte past `expected`.
            None => {
                let mut out = Vec::new();
                stream(stored, cap, expected + 1, &mut out)
                    .or_else(|e| err(format!("{what}: zstd: {e}")))?;
                out
            }
        };
        if out.len() as u64 != expected {
            return err(format!(
                "{what}: decompressed to {} bytes, expected {expected}",
                out.len()
            ));
        }
        Ok(out)
    }

    /// Decompress the table of contents (no size is declared for it): a stream read stopped at
    /// [`ReadLimits::max_toc_bytes`].
    pub(crate) fn toc(&mut self, stored: &[u8]) -> Result<Vec<u8>, WappError> {
        let max = self.limits.max_toc_bytes;
        let mut out = Vec::new();
        stream(stored, max, max + 1, &mut out)
            .or_else(|e| err(format!("table of contents: zstd: {e}")))?;
        if out.len() as u64 > max {
            return err(format!(
                "table of contents: decompresses to more than the {} table of contents limit",
                size(max)
            ));
        }
        self.charge("table of contents", out.len() as u64)?;
        Ok(out)
    }
}

/// Stream-decompress `stored` into `out`, at most `take` bytes, with a zstd window no larger
/// than needed for `cap` bytes of output (the window is what a stream decoder allocates first).
fn stream(stored: &[u8], cap: u64, take: u64, out: &mut Vec<u8>) -> std::io::Result<()> {
    let log = (64 - cap.max(1 << 10).leading_zeros()).clamp(10, 27);
    let mut d = zstd::stream::read::Decoder::with_buffer(stored)?;
    d.window_log_max(log)?;
    d.take(take).read_to_end(out).map(|_| ())
}
