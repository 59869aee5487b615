//! Independent work spread over the cores: each thread takes the next item in turn, so that
//! uneven items (a large file, a long trace) balance themselves.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The cores this process may use, asked once: the standard library reads the cgroup's
/// files on every call, and a lint run asks before each of its parallel phases.
fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    })
}

/// How many threads to use for `items` items.
pub fn threads(items: usize) -> usize {
    cores().min(items).max(1)
}

/// `work` applied to every item, on every core, with the results in item order. Each thread
/// works through its own `handle` (a database handle, or `()`), made on this thread. This
/// thread takes items too, beside `threads - 1` helpers: waiting for them instead left a core
/// idle while they started, and a round of rendering on one core. On one core everything runs
/// here.
pub fn map_on_all_cores<T: Sync, H: Send, R: Send>(
    items: &[T],
    mut handle: impl FnMut() -> H,
    work: impl Fn(&H, &T) -> R + Sync,
) -> Vec<R> {
    let threads = threads(items.len());
    if threads <= 1 {
        let h = handle();
        return items.iter().map(|item| work(&h, item)).collect();
    }
    let next = AtomicUsize::new(0);
    let work_through = |h: &H| {
        let mut out = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            out.push((i, work(h, item)));
        }
        out
    };
    let mut answered: Vec<(usize, R)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .map(|_| {
                let (h, work_through) = (handle(), &work_through);
                scope.spawn(move || work_through(&h))
            })
            .collect();
        let mut answered = work_through(&handle());
        for helper in helpers {
            answered.extend(
                helper
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            );
        }
        answered
    });
    answered.sort_by_key(|(i, _)| *i);
    answered.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_back_in_item_order() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = super::map_on_all_cores(&items, || (), |_, x| x * 2);
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
    }
}
