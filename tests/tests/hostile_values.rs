//! Hostile bytes under a key cost no more memory than a genuine value of their size: the length
//! prefixes of a MessagePack value (strings, byte buffers, arrays, maps) are checked before
//! anything is decoded, so a few bytes claiming four billion elements allocate nothing for them.
//! Measured with a counting global allocator around the same decode `find` runs.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use write_through::fuzzing::{message_pack_probe_header, read_message_pack_value};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), SeqCst) + layout.size();
        PEAK.fetch_max(live, SeqCst);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One measurement at a time: the counters are global.
static MEASURING: Mutex<()> = Mutex::new(());

/// The most memory reading `value` held at once, beyond what was live before.
fn peak_while_reading(value: &[u8]) -> (bool, usize) {
    let _one = MEASURING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let before = LIVE.load(SeqCst);
    PEAK.store(before, SeqCst);
    let decoded = read_message_pack_value(value);
    (decoded, PEAK.load(SeqCst) - before)
}

/// A probe row `[id, nested, names, map, bytes]` whose field `at` is replaced by `claim`.
fn hostile(at: usize, claim: &[u8]) -> Vec<u8> {
    let fields: [&[u8]; 5] = [&[0x07], &[0x90], &[0x90], &[0x80], &[0xc4, 0x00]];
    let mut value = message_pack_probe_header();
    value.push(0x95);
    for (i, field) in fields.iter().enumerate() {
        value.extend_from_slice(if i == at { claim } else { field });
    }
    value
}

/// Far below the 1 MiB serde would preallocate for a claimed length, far above a 40-byte value.
const SMALL: usize = 16 * 1024;

#[test]
fn a_genuine_probe_decodes_within_the_bound() {
    let (decoded, peak) = peak_while_reading(&hostile(9, &[]));
    assert!(decoded, "the well-formed probe decodes");
    assert!(peak < SMALL, "{peak} bytes");
}

#[test]
fn an_array_claiming_four_billion_arrays_allocates_nothing_for_them() {
    let (decoded, peak) = peak_while_reading(&hostile(1, &[0xdd, 0xff, 0xff, 0xff, 0xff, 0x90]));
    assert!(!decoded);
    assert!(peak < SMALL, "{peak} bytes");
}

#[test]
fn a_nested_array_claiming_four_billion_integers_allocates_nothing_for_them() {
    let (decoded, peak) =
        peak_while_reading(&hostile(1, &[0x91, 0xdd, 0xff, 0xff, 0xff, 0xff, 0x01]));
    assert!(!decoded);
    assert!(peak < SMALL, "{peak} bytes");
}

#[test]
fn a_string_claiming_four_gigabytes_allocates_nothing_for_it() {
    let (decoded, peak) = peak_while_reading(&hostile(2, &[0x91, 0xdb, 0xff, 0xff, 0xff, 0xff]));
    assert!(!decoded);
    assert!(peak < SMALL, "{peak} bytes");
}

#[test]
fn a_map_claiming_four_billion_entries_allocates_nothing_for_them() {
    let (decoded, peak) =
        peak_while_reading(&hostile(3, &[0xdf, 0xff, 0xff, 0xff, 0xff, 0xa0, 0x90]));
    assert!(!decoded);
    assert!(peak < SMALL, "{peak} bytes");
}

#[test]
fn a_byte_buffer_claiming_four_gigabytes_allocates_nothing_for_it() {
    let (decoded, peak) = peak_while_reading(&hostile(4, &[0xc6, 0xff, 0xff, 0xff, 0xff]));
    assert!(!decoded);
    assert!(peak < SMALL, "{peak} bytes");
}
