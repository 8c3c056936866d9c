//! Chapter 1's bindings: the trainer the Worker owns, and the main thread's drawings of it.

use super::{floats, from_js, get, render, set, steps, to_js};
use crate::metrics::Metrics;
use crate::playground::dataset::Points;
use crate::playground::grid::Grid;
use crate::playground::trainer::{Probe, Trainer};
use crate::plot::{
    self,
    map::{Cells, MapData},
};
use js_sys::{Float32Array, Object, Uint32Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// `[xmin, xmax, ymin, ymax]` of the plane the maps show: where a probed point from an
/// address may lie.
#[wasm_bindgen]
pub fn plane_extent() -> Vec<f32> {
    Grid::DEFAULT.extent().to_vec()
}

/// The trainer, owned by the Worker.
#[wasm_bindgen]
pub struct WebTrainer(Trainer);

impl WebTrainer {
    /// The run inside, for the other chapters' bindings that start from its teacher.
    pub(crate) fn trainer(&self) -> &Trainer {
        &self.0
    }
}

#[wasm_bindgen]
impl WebTrainer {
    /// A run at step 0; throws if the config is invalid.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<WebTrainer, JsError> {
        let config = from_js(config, "config")?;
        Trainer::new(config)
            .map(WebTrainer)
            .map_err(|e| JsError::new(&e))
    }

    /// Runs up to `n` steps and returns the metrics measured after them.
    pub fn step(&mut self, n: f64) -> Result<JsValue, JsError> {
        to_js(&self.0.step(steps(n)?))
    }

    /// The metrics of the last step.
    pub fn metrics(&self) -> Result<JsValue, JsError> {
        to_js(self.0.metrics())
    }

    /// Grid probabilities of each model, as Float32Arrays.
    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        let s = self.0.snapshot();
        let out = Object::new();
        set(&out, "grid", &JsValue::from(s.grid as u32))?;
        set(&out, "classes", &JsValue::from(s.classes as u32))?;
        set(&out, "extent", &Float32Array::from(&s.extent[..]))?;
        set(&out, "teacher", &Float32Array::from(&s.teacher[..]))?;
        set(&out, "distilled", &Float32Array::from(&s.distilled[..]))?;
        set(&out, "hard", &Float32Array::from(&s.hard[..]))?;
        Ok(out.into())
    }

    /// Training, test and transfer points, as typed arrays.
    pub fn dataset(&self) -> Result<JsValue, JsError> {
        let d = self.0.dataset();
        let out = Object::new();
        for (name, points) in [
            ("train", &d.train),
            ("test", &d.test),
            ("student", &self.0.transfer()),
        ] {
            set(
                &out,
                &format!("{name}_x"),
                &Float32Array::from(&points.x[..]),
            )?;
            set(
                &out,
                &format!("{name}_y"),
                &Uint32Array::from(&points.y[..]),
            )?;
        }
        set(
            &out,
            "extent",
            &Float32Array::from(&Grid::DEFAULT.extent()[..]),
        )?;
        Ok(out.into())
    }

    /// Every model's probabilities at `(x, y)`.
    pub fn probe(&self, x: f32, y: f32) -> Result<JsValue, JsError> {
        to_js(&self.0.probe(x, y))
    }

    /// `[x, y]` of the test point the teacher is least sure of: a good first probe.
    pub fn least_sure_point(&self) -> Vec<f32> {
        self.0.least_sure_point().to_vec()
    }

    /// The distilled student's weights as a burnpack file (`Trainer::distilled_student_bytes`);
    /// throws before the students start.
    pub fn student_weights(&self) -> Result<Vec<u8>, JsError> {
        self.0
            .distilled_student_bytes()
            .ok_or_else(|| JsError::new("the students have not started yet"))?
            .map_err(|e| JsError::new(&e))
    }

    /// Keeps the trained teacher and restarts both students under `config`.
    pub fn restart_student(&mut self, config: JsValue) -> Result<(), JsError> {
        let config = from_js(config, "config")?;
        self.0
            .restart_students(config)
            .map_err(|e| JsError::new(&e))
    }
}

/// A probe's probabilities as grouped bars, on `target` at `scale` (as for [`Scene::draw_map`]).
#[wasm_bindgen]
pub fn draw_probe(target: JsValue, scale: f64, probe: JsValue) -> Result<JsValue, JsError> {
    let probe: Probe = from_js(probe, "probe")?;
    render!(target, |area| plot::bars::draw_probe(area, &probe, scale))
}

fn points(dataset: &JsValue, name: &str) -> Result<Points, JsError> {
    Ok(Points {
        x: floats(dataset, &format!("{name}_x"))?,
        y: Uint32Array::new(&get(dataset, &format!("{name}_y"))?).to_vec(),
    })
}

/// The latest grid probabilities of the three models (a Worker's `snapshot`), kept.
struct Maps {
    grid: usize,
    classes: usize,
    extent: [f32; 4],
    teacher: Vec<f32>,
    distilled: Vec<f32>,
    hard: Vec<f32>,
}

impl Maps {
    /// Reads a snapshot's probabilities into `kept`'s buffers where their sizes match (the
    /// usual case: one copy per array, into memory already allocated).
    fn read(snapshot: &JsValue, kept: Option<Maps>) -> Result<Maps, JsError> {
        let number = |key| -> Result<usize, JsError> {
            get(snapshot, key)?
                .as_f64()
                .map(|v| v as usize)
                .ok_or_else(|| JsError::new(&format!("snapshot.{key} is not a number")))
        };
        let array = |key| -> Result<Float32Array, JsError> {
            get(snapshot, key)?
                .dyn_into::<Float32Array>()
                .map_err(|_| JsError::new(&format!("snapshot.{key} is not a Float32Array")))
        };
        let into = |key, buffer: Option<Vec<f32>>| -> Result<Vec<f32>, JsError> {
            let source = array(key)?;
            Ok(match buffer {
                Some(mut buffer) if buffer.len() == source.length() as usize => {
                    source.copy_to(&mut buffer);
                    buffer
                }
                _ => source.to_vec(),
            })
        };
        let extent: [f32; 4] = array("extent")?
            .to_vec()
            .get(..4)
            .and_then(|e| e.try_into().ok())
            .ok_or_else(|| JsError::new("snapshot.extent needs four numbers"))?;
        let (teacher, distilled, hard) = match kept {
            Some(m) => (Some(m.teacher), Some(m.distilled), Some(m.hard)),
            None => (None, None, None),
        };
        Ok(Maps {
            grid: number("grid")?,
            classes: number("classes")?,
            extent,
            teacher: into("teacher", teacher)?,
            distilled: into("distilled", distilled)?,
            hard: into("hard", hard)?,
        })
    }
}

/// What the main thread shows of a run, kept in wasm: every metrics of the generation (the
/// curves, the CSV, the scores), the latest maps' probabilities and the dataset's points. Each
/// Worker message crosses into it once ([`Scene::update`], [`Scene::set_dataset`]); its draw
/// calls take only where to draw and at what scale.
#[wasm_bindgen]
#[derive(Default)]
pub struct Scene {
    history: Vec<Metrics>,
    maps: Option<Maps>,
    /// The teacher's training points and the students' transfer points.
    points: Option<(Points, Points)>,
}

#[wasm_bindgen]
impl Scene {
    /// An empty scene.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Scene {
        Scene::default()
    }

    /// Takes a Worker's update `{ metrics: Metrics[], snapshot }`: appends its metrics to the
    /// history and keeps its snapshot's probabilities (if it has one).
    pub fn update(&mut self, message: JsValue) -> Result<(), JsError> {
        let metrics: Vec<Metrics> = from_js(get(&message, "metrics")?, "metrics")?;
        let snapshot = get(&message, "snapshot")?;
        if !snapshot.is_null() && !snapshot.is_undefined() {
            self.maps = Some(Maps::read(&snapshot, self.maps.take())?);
        }
        self.history.extend(metrics);
        Ok(())
    }

    /// Keeps the points of a Worker's `dataset` (as [`WebTrainer::dataset`] sends them).
    pub fn set_dataset(&mut self, dataset: JsValue) -> Result<(), JsError> {
        self.points = Some((points(&dataset, "train")?, points(&dataset, "student")?));
        Ok(())
    }

    /// Forgets the history (a new generation); `maps` also forgets the maps (a new run).
    pub fn clear(&mut self, maps: bool) {
        self.history.clear();
        if maps {
            self.maps = None;
        }
    }

    /// Whether there are maps and points to draw.
    pub fn has_maps(&self) -> bool {
        self.maps.is_some() && self.points.is_some()
    }

    /// "student: 371 parameters = 4.3 % of the teacher (8707 parameters)", from the latest
    /// metrics; empty before any.
    pub fn describe_params(&self) -> String {
        self.history
            .last()
            .map(Metrics::describe_params)
            .unwrap_or_default()
    }

    /// Draws one model's decision map (`which`: "teacher", "distilled" or "hard") with its
    /// training points on `target` (a canvas, or `{ width, height }` for an SVG string) at
    /// `scale` (device pixels per CSS pixel, times the presenter's enlargement); `marker`
    /// (`[x, y]` or null: the probed point) is marked. Returns null before there is a map.
    pub fn draw_map(
        &self,
        target: JsValue,
        scale: f64,
        which: &str,
        marker: Option<Vec<f32>>,
    ) -> Result<JsValue, JsError> {
        let (Some(maps), Some((train, student))) = (&self.maps, &self.points) else {
            return Ok(JsValue::NULL);
        };
        let (probs, shown) = match which {
            "teacher" => (&maps.teacher, train),
            "distilled" => (&maps.distilled, student),
            "hard" => (&maps.hard, student),
            _ => return Err(JsError::new(&format!("no map of {which}"))),
        };
        let map = MapData {
            probs,
            grid: maps.grid,
            classes: maps.classes,
            extent: maps.extent,
            points: Some(shown),
            marker: marker.and_then(|p| Some([*p.first()?, *p.get(1)?])),
        };
        render!(target, |area, on_canvas| {
            let cells = if on_canvas {
                Cells::Bitmap
            } else {
                Cells::Shapes
            };
            plot::map::draw(area, &map, scale, cells)
        })
    }

    /// Test accuracies as bars, from the latest metrics, on `target` at `scale` (as for
    /// [`Scene::draw_map`]); null before any metrics.
    pub fn draw_accuracy(&self, target: JsValue, scale: f64) -> Result<JsValue, JsError> {
        let Some(metrics) = self.history.last() else {
            return Ok(JsValue::NULL);
        };
        render!(target, |area| plot::bars::draw_accuracy(
            area, metrics, scale
        ))
    }

    /// The parameter fraction as a bar, from the latest metrics, on `target` at `scale` (as for
    /// [`Scene::draw_map`]); null before any metrics.
    pub fn draw_params(&self, target: JsValue, scale: f64) -> Result<JsValue, JsError> {
        let Some(metrics) = self.history.last() else {
            return Ok(JsValue::NULL);
        };
        render!(target, |area| plot::bars::draw_params(area, metrics, scale))
    }

    /// Agreement and KL curves, on `target` at `scale` (as for [`Scene::draw_map`]).
    pub fn draw_agreement(&self, target: JsValue, scale: f64) -> Result<JsValue, JsError> {
        render!(target, |area| plot::curves::draw_agreement(
            area,
            &self.history,
            scale
        ))
    }

    /// Loss curves, on `target` at `scale` (as for [`Scene::draw_map`]).
    pub fn draw_loss(&self, target: JsValue, scale: f64) -> Result<JsValue, JsError> {
        render!(target, |area| plot::curves::draw_loss(
            area,
            &self.history,
            scale
        ))
    }

    /// The history as CSV, one row per measurement (`table::playground_csv`).
    pub fn csv(&self) -> String {
        crate::table::playground_csv(&self.history)
    }
}
