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
use std::sync::{Condvar, Mutex, mpsc};

/// Calls `work` on every item of `items` on `threads` threads (the calling thread and
/// `threads - 1` more) and `sink` on each result, in the items' order, on the calling
/// thread. `window` (at least `threads`) bounds the items in flight. Items are taken from
/// `items` one at a time under a lock, so the iterator itself may do I/O (walk folders,
/// read lines); `work` runs in parallel.
///
/// The calling thread works too, and writes what is ready between its own items: it
/// waits for the others only when it may take no more, so there is no hand-off per item
/// (and with one thread, none at all).
pub fn map<T, R, I, W, S>(items: I, threads: usize, window: usize, work: W, sink: S)
where
    I: Iterator<Item = T> + Send,
    T: Send,
    R: Send,
    W: Fn(T) -> R + Sync,
    S: FnMut(R),
{
    let threads = threads.max(1);
    // Each in-flight item holds a permit, taken before the item and given back when its
    // result is handed to the sink: the items in flight are always the oldest ones not
    // yet handed on, so the next one due is always being worked on.
    let permits = Permits {
        free: Mutex::new(window.max(threads)),
        freed: Condvar::new(),
    };
    let source = Mutex::new(items.enumerate());
    let take = || source.lock().expect("no worker panicked").next();
    let (done_tx, done_rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 1..threads {
            let done_tx = done_tx.clone();
            let (permits, take, work) = (&permits, &take, &work);
            scope.spawn(move || {
                loop {
                    permits.take();
                    let Some((i, item)) = take() else {
                        // Let the next worker find the end too.
                        permits.give();
                        return;
                    };
                    if done_tx.send((i, work(item))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let mut order = Reorder {
            waiting: VecDeque::new(),
            next: 0,
            sink,
        };
        let mut exhausted = false;
        loop {
            while let Ok((i, r)) = done_rx.try_recv() {
                order.put(i, r, &permits);
            }
            if !exhausted && permits.try_take() {
                match take() {
                    Some((i, item)) => order.put(i, work(item), &permits),
                    None => {
                        exhausted = true;
                        permits.give();
                    }
                }
                continue;
            }
            // Nothing this thread may do: wait for another's result (or their end).
            match done_rx.recv() {
                Ok((i, r)) => order.put(i, r, &permits),
                Err(_) => break,
            }
        }
    });
}

/// A counting semaphore.
struct Permits {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Permits {
    fn take(&self) {
        let mut free = self.free.lock().expect("no worker panicked");
        while *free == 0 {
            free = self.freed.wait(free).expect("no worker panicked");
        }
        *free -= 1;
    }

    fn try_take(&self) -> bool {
        let mut free = self.free.lock().expect("no worker panicked");
        let ok = *free > 0;
        *free -= usize::from(ok);
        ok
    }

    fn give(&self) {
        *self.free.lock().expect("no worker panicked") += 1;
        self.freed.notify_one();
    }
}

/// Results that arrived before their turn, by position after `next`, and the sink.
struct Reorder<R, S> {
    waiting: VecDeque<Option<R>>,
    next: usize,
    sink: S,
}

impl<R, S: FnMut(R)> Reorder<R, S> {
    /// Takes result `i` and hands on every result now due, each giving back its permit.
    fn put(&mut self, i: usize, r: R, permits: &Permits) {
        let at = i - self.next;
        if self.waiting.len() <= at {
            self.waiting.resize_with(at + 1, || None);
        }
        self.waiting[at] = Some(r);
        while let Some(Some(_)) = self.waiting.front() {
            let r = self.waiting.pop_front().flatten().expect("checked above");
            (self.sink)(r);
            self.next += 1;
            permits.give();
        }
    }
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
