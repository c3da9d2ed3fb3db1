//! Work shared out over threads, for the few jobs large enough to need it
//! (the spend measures over millions of lines, the benchmarks).

/// Runs `work` on each item in a thread of its own and returns the answers
/// in the items' order.
pub fn on_threads<I: Send, T: Send>(
    items: impl IntoIterator<Item = I>,
    work: impl Fn(I) -> T + Sync,
) -> Vec<T> {
    let work = &work;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .into_iter()
            .map(|item| s.spawn(move || work(item)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a worker thread"))
            .collect()
    })
}
