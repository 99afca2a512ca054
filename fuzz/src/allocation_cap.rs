//! A global allocator that stops the process on any single allocation above a cap.
//!
//! libFuzzer's `-malloc_limit_mb` works through the sanitizer's allocation hooks, so it does
//! nothing in a target built without a sanitizer (`cargo fuzz build -s none`). The loader
//! targets run that way (see `run.sh`): they are safe Rust, and AddressSanitizer's allocator
//! made them four times slower. Their cap is kept here instead, at the same figure.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;

/// The largest single allocation, in bytes: 256 MiB, as `-malloc_limit_mb=256`.
pub const LIMIT: usize = 256 << 20;

/// [`System`] with the [`LIMIT`] check; install it with `#[global_allocator]`.
pub struct CappedAllocator;

// SAFETY: every call is forwarded unchanged to `System`; the check only reads the size.
unsafe impl GlobalAlloc for CappedAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        // SAFETY: the caller's contract for `alloc` is passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        check(new_size);
        // SAFETY: as for `alloc`; `ptr` came from this allocator, that is from `System`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `realloc`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Whether an allocation of `size` bytes is above the cap.
pub fn exceeds(size: usize) -> bool {
    size > LIMIT
}

/// Aborts on an allocation above the cap: libFuzzer reports the abort as a crash and keeps the
/// input. Not a panic, because an allocator must not unwind; the message is written without
/// allocating.
fn check(size: usize) {
    if exceeds(size) {
        let mut stderr = std::io::stderr();
        let _ = stderr.write_all(b"==allocation cap== a single allocation of ");
        write_decimal(&mut stderr, size);
        let _ = stderr.write_all(b" bytes is above the cap of ");
        write_decimal(&mut stderr, LIMIT);
        let _ = stderr.write_all(b" bytes (");
        write_decimal(&mut stderr, LIMIT >> 20);
        let _ = stderr.write_all(b" MiB)\n");
        std::process::abort();
    }
}

/// Writes `n` in decimal without allocating.
fn write_decimal(out: &mut impl Write, n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let _ = out.write_all(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_is_256_mib() {
        assert!(!exceeds(0));
        assert!(!exceeds(LIMIT));
        assert!(exceeds(LIMIT + 1));
        assert_eq!(LIMIT, 268_435_456);
    }

    #[test]
    fn decimals_are_written_in_full() {
        for (n, text) in [(0, "0"), (7, "7"), (LIMIT, "268435456"), (usize::MAX, "18446744073709551615")] {
            let mut out = Vec::new();
            write_decimal(&mut out, n);
            assert_eq!(out, text.as_bytes());
        }
    }
}
