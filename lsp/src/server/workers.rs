//! A small pool of worker threads for requests and diagnostics (the main loop never computes).

use crossbeam_channel::Sender;

type Job = Box<dyn FnOnce() + Send + 'static>;

pub struct Workers {
    jobs: Sender<Job>,
}

impl Workers {
    pub fn new() -> Self {
        let (jobs, queue) = crossbeam_channel::unbounded::<Job>();
        let count = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .clamp(2, 4);
        for i in 0..count {
            let queue = queue.clone();
            let _ = std::thread::Builder::new()
                .name(format!("vnet-lsp-worker-{i}"))
                // The parser recurses on nesting: the stack of a main thread, as `vnetc` has.
                .stack_size(8 << 20)
                .spawn(move || {
                    for job in queue {
                        job();
                    }
                });
        }
        Workers { jobs }
    }

    pub fn spawn(&self, job: impl FnOnce() + Send + 'static) {
        let _ = self.jobs.send(Box::new(job));
    }
}
