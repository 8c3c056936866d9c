// controls.js: the settings form, generated from the crate's knob table (knobs()), so that
// the page, the URL hash and the Rust Config share one list of settings.
//
// choice → <select>; number → range slider with its value shown beside the label;
// a log-scale number → a slider over log10 of the value; a number with more than
// MAX_SLIDER_POSITIONS steps (a seed, say) → a plain number field.

/** Titles of the knob groups, in the order the fieldsets appear. */
const GROUP_TITLES = {
  data: "Data",
  models: "Models",
  distillation: "Distillation",
  training: "Training",
  api: "The API: budget, answers and defences",
  chat: "The chatbot’s API and its thieves",
  digits: "The experiments’ students",
  reasoner: "The reasoner’s API and its students",
};

/**
 * What changing a knob does, by its `restarts` field (the gist of what the crate's
 * `Config::invalidates` restarts for it), told under its help sentence.
 */
const RESTART_NOTES = {
  all: "Changing it restarts everything.",
  student: "Changing it keeps the teacher and retrains the students.",
  none: "Takes effect at once.",
};

/**
 * Groups whose knobs all restart the same part of the page (as the crate's table says), told
 * once under the group's title instead of under each knob.
 */
const GROUP_NOTES = {
  api: "Changing any of these restarts the extraction or the investigation, never the teacher.",
  chat: "Changing any of these (or the seed) starts this round again; the playground above keeps its run.",
  digits: "Changing any of these starts the experiment again; the playground above keeps its run.",
  reasoner: "Changing any of these (or the seed) starts this round again; the rest of the page keeps its runs.",
};

/** A slider with more positions than this cannot be set precisely; use a number field. */
const MAX_SLIDER_POSITIONS = 1000;

/** Significant digits kept from a log-scale slider (0.0031, not 0.003162277…). */
const LOG_DIGITS = 2;

/**
 * Builds one <fieldset> per knob group inside `form`, or inside `homes[group]` (another
 * <form>) for a group that belongs beside the part of the page it drives.
 * `onCommit(key, value)` is called when the user settles on a new value (the "change"
 * event), with the value typed like the knob's default (a number or a string).
 * Returns { set(config), setDisabled(bool) } to show a config and to lock the forms.
 */
export function buildControls(form, knobs, onCommit, { homes = {} } = {}) {
  const fields = new Map(); // key → { write(value) }
  const fieldsets = new Map(); // group → <fieldset>
  for (const group of Object.keys(GROUP_TITLES)) fieldsets.set(group, null);

  for (const knob of knobs) {
    if (!fieldsets.get(knob.group)) {
      const fieldset = element("fieldset", { className: `knob-group knob-group-${knob.group}` });
      const title = GROUP_TITLES[knob.group] ?? knob.group.charAt(0).toUpperCase() + knob.group.slice(1);
      fieldset.append(element("legend", { textContent: title }));
      if (GROUP_NOTES[knob.group]) {
        fieldset.append(element("p", { className: "help group-note", textContent: GROUP_NOTES[knob.group] }));
      }
      fieldsets.set(knob.group, fieldset);
    }
    const field = knobField(knob, onCommit);
    fieldsets.get(knob.group).append(field.root);
    fields.set(knob.key, field);
  }
  const forms = [form, ...Object.values(homes)];
  for (const target of forms) {
    const own = [...fieldsets].filter(([group, fieldset]) => fieldset && (homes[group] ?? form) === target);
    target.replaceChildren(...own.map(([, fieldset]) => fieldset));
    // Enter in a number field commits it (a "change" event); it must not also submit the
    // form, which would reload the page.
    target.addEventListener("submit", (event) => event.preventDefault());
  }

  return {
    /** Shows every value of `config` in its control. */
    set(config) {
      for (const [key, field] of fields) {
        if (key in config) field.write(config[key]);
      }
    },
    /** Locks or unlocks every form. */
    setDisabled(disabled) {
      for (const target of forms) {
        for (const fieldset of target.querySelectorAll("fieldset")) fieldset.disabled = disabled;
      }
    },
  };
}

/** One labelled control with its value readout and help sentence. */
function knobField(knob, onCommit) {
  const id = `knob-${knob.key}`;
  const root = element("div", { className: "knob" });
  const label = element("label", { htmlFor: id });
  label.append(element("span", { className: "knob-label", textContent: knob.label }));
  const output = element("output", { className: "knob-value", htmlFor: id });
  const help = element("p", {
    className: "help",
    id: `${id}-help`,
    textContent: GROUP_NOTES[knob.group] ? knob.help : `${knob.help} ${RESTART_NOTES[knob.restarts] ?? ""}`.trim(),
  });

  const input = knob.kind === "choice" ? choiceInput(knob) : numberInput(knob);
  input.id = id;
  input.name = knob.key;
  input.dataset.knob = knob.key;
  input.dataset.testid = id;
  input.setAttribute("aria-describedby", help.id);

  const isNumber = typeof knob.default === "number";
  const read = () => {
    if (knob.kind === "choice") return isNumber ? Number(input.value) : input.value;
    if (knob.log) return Number((10 ** Number(input.value)).toPrecision(LOG_DIGITS));
    return Number(input.value);
  };
  const show = (value) => {
    output.value = display(value);
  };

  input.addEventListener("input", () => show(read()));
  // An out-of-range number typed into a field is passed on as it is: the crate clamps it and
  // says so in a notice.
  input.addEventListener("change", () => onCommit(knob.key, read()));

  if (knob.kind === "choice") {
    label.append(input);
    root.append(label, help);
  } else {
    label.append(output);
    root.append(label, input, help);
  }
  return {
    root,
    write(value) {
      // An on/off choice may sit in the Config as a bool: false is its first name, true its second.
      const shown = knob.kind === "choice" && typeof value === "boolean" ? knob.choices[value ? 1 : 0] : value;
      if (knob.kind === "number" && knob.log) input.value = String(Math.log10(shown));
      else input.value = String(shown);
      show(shown);
    },
  };
}

function choiceInput(knob) {
  const select = element("select");
  for (const choice of knob.choices) {
    select.append(element("option", { value: String(choice), textContent: String(choice) }));
  }
  return select;
}

function numberInput(knob) {
  if (knob.log) {
    // step "any": the exact value from the URL must survive being shown.
    return element("input", {
      type: "range",
      min: String(Math.log10(knob.min)),
      max: String(Math.log10(knob.max)),
      step: "any",
    });
  }
  const positions = (knob.max - knob.min) / knob.step;
  return element("input", {
    type: positions > MAX_SLIDER_POSITIONS ? "number" : "range",
    min: String(knob.min),
    max: String(knob.max),
    step: String(knob.step),
  });
}

/**
 * A value as a person reads it: a Rust f32 arrives as the nearest f64 (0.05 as
 * 0.05000000074505806), so numbers are shown to 6 significant digits.
 */
function display(value) {
  return typeof value === "number" ? String(Number(value.toPrecision(6))) : String(value);
}

function element(tag, properties = {}) {
  return Object.assign(document.createElement(tag), properties);
}
