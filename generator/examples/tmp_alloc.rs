use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
struct Counting;
static COUNT: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        COUNT.fetch_add(1, Relaxed);
        BYTES.fetch_add(l.size(), Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        COUNT.fetch_add(1, Relaxed);
        BYTES.fetch_add(n, Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}
#[global_allocator]
static A: Counting = Counting;
use connector_roles_generator::render::render;
use connector_roles_generator::{Format, RoleSpec};
fn main() {
    if let Ok(n) = std::env::var("LOOP") {
        let spec =
            RoleSpec::from_json(include_str!("../../examples/specs/orders-mysql.json")).unwrap();
        for _ in 0..n.parse::<usize>().unwrap() {
            std::hint::black_box(render(&spec, &Format::ALL).unwrap());
        }
        return;
    }
    if std::env::var("PLOOP").is_ok() {
        for _ in 0..40000 {
            std::hint::black_box(
                RoleSpec::from_json(include_str!("../../examples/specs/orders-mysql.json"))
                    .unwrap(),
            );
        }
        return;
    }
    let text = include_str!("../../examples/specs/orders-mysql.json");
    let spec = RoleSpec::from_json(text).unwrap();
    for f in Format::ALL
        .iter()
        .map(|f| vec![*f])
        .chain([Format::ALL.to_vec()])
    {
        let (c0, b0) = (COUNT.load(Relaxed), BYTES.load(Relaxed));
        let t = std::time::Instant::now();
        let mut out = 0;
        for _ in 0..1000 {
            out = render(&spec, &f)
                .unwrap()
                .iter()
                .map(|a| a.contents.len())
                .sum::<usize>();
        }
        let el = t.elapsed() / 1000;
        println!(
            "{:?}: {} allocs, {} KB alloc'd, {} bytes out, {:?}",
            f.iter().map(|f| f.name()).collect::<Vec<_>>(),
            (COUNT.load(Relaxed) - c0) / 1000,
            (BYTES.load(Relaxed) - b0) / 1000 / 1024,
            out,
            el
        );
    }
    let (c0, b0) = (COUNT.load(Relaxed), BYTES.load(Relaxed));
    let t = std::time::Instant::now();
    for _ in 0..1000 {
        std::hint::black_box(RoleSpec::from_json(text).unwrap());
    }
    println!(
        "parse: {} allocs, {} KB, {:?}",
        (COUNT.load(Relaxed) - c0) / 1000,
        (BYTES.load(Relaxed) - b0) / 1000 / 1024,
        t.elapsed() / 1000
    );
}
#[allow(dead_code)]
fn unused() {}
