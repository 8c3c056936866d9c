use burn::tensor::Device;
use distill::charlm::model::CharLmConfig;
use distill::reasoner::study::{Access, ReasonerConfig, run};
use distill::reasoner::task::SYMBOLS;
use distill::reasoner::teacher;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let device = Device::flex();
    let t0 = Instant::now();
    let path = "/tmp/scratch/teacher.bin";
    let steps: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(3000);
    let teacher = teacher::train(
        &teacher::shape(),
        steps,
        teacher::SPLIT,
        7,
        &device,
        |s, l| eprintln!("teacher {s} loss {l:.4} {:.1}s", t0.elapsed().as_secs_f32()),
    );
    let _ = path;
    let hidden: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(64);
    let problems: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let st: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(1500);
    for seed in 1..=args.get(5).and_then(|s| s.parse().ok()).unwrap_or(2u64) {
        let t1 = Instant::now();
        let config = ReasonerConfig {
            student: CharLmConfig::new(SYMBOLS, 16, hidden),
            problems,
            steps: st,
            seed,
            every: st / 5,
            ..ReasonerConfig::default()
        };
        let round = run(config, &teacher, teacher::SPLIT, &device);
        print!(
            "seed {seed} teacher {:.3}/{:.3} {:.1}s:",
            round.teacher.worked,
            round.teacher.direct,
            t1.elapsed().as_secs_f32()
        );
        for t in &round.thieves {
            let accs: Vec<String> = t
                .points
                .iter()
                .map(|p| format!("{:.2}", p.accuracy))
                .collect();
            let last = t.points.last().unwrap();
            print!(
                " | {} [{}] n={} tok={}",
                t.access.name(),
                accs.join(" "),
                last.problems,
                last.tokens
            );
        }
        println!();
        let _ = Access::ALL;
    }
}
