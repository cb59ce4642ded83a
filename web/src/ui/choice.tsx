import type { ReactNode } from 'react';

/** One of several, as radio buttons in a fieldset: outcomes, decisions. */
export function RadioChoice<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
  label,
}: {
  legend: ReactNode;
  /** The radio group's name: unique on the page (a desk lists several forms). */
  name: string;
  options: readonly T[];
  value: T;
  onChange: (value: T) => void;
  label: (option: T) => ReactNode;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o} className="check">
          <input type="radio" name={name} value={o} checked={value === o} onChange={() => onChange(o)} />
          {label(o)}
        </label>
      ))}
    </fieldset>
  );
}

/** Any of several, as checkboxes in a fieldset: data categories. */
export function CheckChoice<T extends string>({
  legend,
  options,
  chosen,
  onChange,
  label,
}: {
  legend: ReactNode;
  options: readonly T[];
  chosen: readonly T[];
  onChange: (chosen: T[]) => void;
  label: (option: T) => ReactNode;
}) {
  const toggle = (o: T) => onChange(chosen.includes(o) ? chosen.filter((x) => x !== o) : [...chosen, o]);
  return (
    <fieldset>
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o} className="check">
          <input type="checkbox" checked={chosen.includes(o)} onChange={() => toggle(o)} />
          {label(o)}
        </label>
      ))}
    </fieldset>
  );
}
