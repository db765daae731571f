//! Work in parallel, results in order: the engine of `check` over many drafts.
//!
//! [`map`] runs a function over the items of an iterator on several threads and hands the
//! results to a sink in the items' order, as soon as each one's turn comes. At most
//! `window` items are in flight at any moment (taken but not yet handed to the sink):
//! one slow draft holds back the output, but not the workers, and never more than
//! `window` finished results wait for it. So 10,000 drafts are printed as they are
//! checked, in memory bounded by the window, never all held at once.
//!
//! Why not rayon: its ordered `collect` holds every result until the end, and `par_bridge`
//! gives up the order; what is left is a reorder buffer over a channel, which is what
//! this module is, on `std::thread::scope` and `std::sync::mpsc` alone.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::mpsc;

/// Calls `work` on every item of `items` on `threads` threads and `sink` on each result,
/// in the items' order, on the calling thread. `window` (at least `threads`) bounds the
/// items in flight. Items are taken from `items` one at a time under a lock, so the
/// iterator itself may do I/O (walk folders, read lines); `work` runs in parallel.
pub fn map<T, R, I, W, S>(items: I, threads: usize, window: usize, work: W, mut sink: S)
where
    I: Iterator<Item = T> + Send,
    T: Send,
    R: Send,
    W: Fn(T) -> R + Sync,
    S: FnMut(R),
{
    let threads = threads.max(1);
    let window = window.max(threads);
    // Each in-flight item holds a permit; the sink returns one per result it is handed.
    // A worker takes a permit before it takes an item, so the items in flight are always
    // the oldest ones not yet handed on, and the next one due is always being worked on.
    let (permit_tx, permit_rx) = mpsc::sync_channel::<()>(window);
    for _ in 0..window {
        permit_tx
            .send(())
            .expect("the channel holds `window` permits");
    }
    let permits = Mutex::new(permit_rx);
    let source = Mutex::new(items.enumerate());
    let (done_tx, done_rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let (permits, source, work) = (&permits, &source, &work);
            scope.spawn(move || {
                loop {
                    if permits.lock().expect("no worker panicked").recv().is_err() {
                        return;
                    }
                    let next = source.lock().expect("no worker panicked").next();
                    let Some((i, item)) = next else { return };
                    if done_tx.send((i, work(item))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        // Results that arrived before their turn, by position after `next`.
        let mut waiting: VecDeque<Option<R>> = VecDeque::new();
        let mut next = 0;
        for (i, r) in done_rx {
            let at = i - next;
            if waiting.len() <= at {
                waiting.resize_with(at + 1, || None);
            }
            waiting[at] = Some(r);
            while let Some(Some(_)) = waiting.front() {
                let r = waiting.pop_front().flatten().expect("checked above");
                sink(r);
                next += 1;
                // The workers may all have ended already: a lost permit is harmless.
                let _ = permit_tx.send(());
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn results_come_in_input_order_whatever_order_they_finish_in() {
        let mut out = Vec::new();
        // Early items take longest, so later ones finish first.
        map(
            0..200u64,
            4,
            8,
            |i| {
                std::thread::sleep(std::time::Duration::from_micros((200 - i) * 20));
                i * 2
            },
            |r| out.push(r),
        );
        assert_eq!(out, (0..200).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn never_more_than_the_window_in_flight() {
        let taken = AtomicUsize::new(0);
        let handed = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let items = (0..500).inspect(|_| {
            let t = taken.fetch_add(1, Ordering::SeqCst) + 1;
            let in_flight = t - handed.load(Ordering::SeqCst);
            most.fetch_max(in_flight, Ordering::SeqCst);
        });
        // Item 0 is slow: everything else piles up behind it, up to the window.
        map(
            items,
            3,
            10,
            |i: i32| {
                if i == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                i
            },
            |_| {
                handed.fetch_add(1, Ordering::SeqCst);
            },
        );
        assert_eq!(handed.load(Ordering::SeqCst), 500);
        let most = most.load(Ordering::SeqCst);
        assert!(most <= 10, "{most} items in flight");
        assert!(most >= 3, "the workers did work in parallel: {most}");
    }

    #[test]
    fn one_thread_and_no_items() {
        let mut out = Vec::new();
        map(0..3, 1, 1, |i| i + 1, |r| out.push(r));
        assert_eq!(out, [1, 2, 3]);
        map(
            std::iter::empty::<u8>(),
            2,
            4,
            |i| i,
            |_: u8| unreachable!(),
        );
    }
}
