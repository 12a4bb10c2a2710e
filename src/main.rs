//! The radpath binary: argument parsing and wiring only.

mod cli;

fn main() {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("radpath: internal error: {info}");
    }));
    let code = match cli::run() {
        Ok(code) => code,
        Err(e) => {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    std::process::exit(0);
                }
            }
            eprintln!("radpath: {e:#}");
            2
        }
    };
    std::process::exit(code);
}
