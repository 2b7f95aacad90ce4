//! The allocator's settings, made before the run allocates much.

/// glibc maps a block of 128 KiB or more on its own, and unmaps it when it
/// is freed, but it raises that threshold to the largest such block freed
/// so far. Once the walk's lists of a large corpus were freed, the tables
/// of its folders' `metadata.csv` (about 3 MB each) came from the heap
/// and fragmented it: `count -j2` over 24 People's Daily folders peaked
/// at 80 MB, and at 67 MB, as fast, with the threshold fixed at 1 MiB. The
/// blocks files are read in (128 KiB) stay on the heap below it.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn tune() {
    const MMAP_THRESHOLD: libc::c_int = 1 << 20;
    // SAFETY: `mallopt` sets a parameter of glibc's allocator, here before
    // any other thread is started.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

/// Nothing to set for other allocators.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune() {}
