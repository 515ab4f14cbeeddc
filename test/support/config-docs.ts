import type { z } from 'zod';

/** One environment variable as documented: read from a service's zod config schema. */
export interface EnvVarDoc {
  name: string;
  description: string;
  default?: string;
  values?: string[];
}

export interface EnvSection {
  title: string;
  /** Who reads these variables. */
  readBy: string;
  vars: EnvVarDoc[];
}

interface ZodInternals {
  description?: string;
  _zod: {
    def: {
      type: string;
      innerType?: unknown;
      in?: unknown;
      out?: unknown;
      defaultValue?: unknown;
      entries?: Record<string, string>;
    };
  };
}

/** Reads description, default and allowed values through the wrappers zod puts around a field. */
export function describeEnvVar(name: string, field: z.ZodType): EnvVarDoc {
  let node = field as unknown as ZodInternals;
  let description = node.description;
  let fallback: unknown;
  for (;;) {
    description ??= node.description;
    const def = node._zod.def;
    if (def.type === 'default' || def.type === 'prefault') {
      fallback ??= typeof def.defaultValue === 'function' ? undefined : def.defaultValue;
      node = def.innerType as ZodInternals;
    } else if (def.type === 'optional' || def.type === 'nullable' || def.type === 'readonly') {
      node = def.innerType as ZodInternals;
    } else if (def.type === 'pipe') {
      // z.preprocess(fn, schema) is a pipe from a transform into the real schema; a .transform() after
      // a schema is a pipe from the schema into a transform. Follow the side that is a schema.
      const input = def.in as ZodInternals;
      node = (input._zod.def.type === 'transform' ? def.out : def.in) as ZodInternals;
    } else break;
  }
  const doc: EnvVarDoc = { name, description: (description ?? '').replace(/\s+/g, ' ').trim() };
  if (fallback !== undefined && fallback !== '')
    doc.default = Array.isArray(fallback) ? fallback.join(',') : String(fallback);
  const def = node._zod.def;
  if (def.type === 'enum' && def.entries) doc.values = Object.values(def.entries);
  return doc;
}

export function sectionFromSchema(title: string, readBy: string, schema: z.ZodObject): EnvSection {
  return {
    title,
    readBy,
    vars: Object.entries(schema.shape).map(([name, field]) => describeEnvVar(name, field as z.ZodType)),
  };
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderReadmeTables(sections: EnvSection[]): string {
  const out: string[] = [];
  for (const section of sections) {
    out.push(
      `### ${section.title}`,
      '',
      `Read by ${section.readBy}.`,
      '',
      '| variable | default | meaning |',
      '| --- | --- | --- |',
    );
    for (const v of section.vars) {
      const values = v.values ? ` One of: ${v.values.map((x) => `\`${x}\``).join(', ')}.` : '';
      out.push(
        `| \`${v.name}\` | ${v.default === undefined ? '' : `\`${cell(v.default)}\``} | ${cell(v.description)}${values} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

export function renderEnvExample(sections: EnvSection[]): string {
  const out = [
    '# Every environment variable of every part, with its default. Copy to .env and uncomment what you change.',
    '# Real environment variables win over this file. Generated from the config schemas by test/config-docs.test.ts.',
    '',
  ];
  for (const section of sections) {
    out.push(`# ---- ${section.title} (${section.readBy}) ----`);
    for (const v of section.vars) {
      const values = v.values ? ` One of: ${v.values.join(', ')}.` : '';
      out.push(`# ${v.description}${values}`.replace(/\s+$/, ''));
      out.push(`#${v.name}=${v.default ?? ''}`);
    }
    out.push('');
  }
  return out.join('\n');
}

export const README_START = '<!-- config:start -->';
export const README_END = '<!-- config:end -->';

export function replaceReadmeSection(readme: string, tables: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error('README has no config markers');
  return `${readme.slice(0, start + README_START.length)}\n\n${tables}\n${readme.slice(end)}`;
}
