/** Self-contained HTML API reference rendered from the OpenAPI document (no external assets). */
const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface OperationObject {
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

export function renderApiReference(document: Record<string, unknown>): string {
  const info = (document['info'] ?? {}) as { title?: string; version?: string; description?: string };
  const paths = (document['paths'] ?? {}) as Record<string, Record<string, OperationObject>>;
  const sections: string[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<li><code>${escapeHtml(p.name)}</code> (${escapeHtml(p.in)}${p.required ? ', required' : ''})${p.description ? ` – ${escapeHtml(p.description)}` : ''}</li>`,
        )
        .join('');
      const body = op.requestBody?.content?.['application/json']?.schema;
      const responses = Object.entries(op.responses ?? {})
        .map(([status, r]) => `<li><b>${escapeHtml(status)}</b> ${escapeHtml(r.description ?? '')}</li>`)
        .join('');
      sections.push(`<section id="${escapeHtml(`${method}-${path}`)}">
<h2><span class="m ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h2>
<p>${escapeHtml(op.summary ?? '')}</p>${op.description ? `<p>${escapeHtml(op.description)}</p>` : ''}
${params ? `<h3>Parameters</h3><ul>${params}</ul>` : ''}
${body ? `<h3>Request body</h3><details><summary>schema</summary><pre>${escapeHtml(JSON.stringify(body, null, 2))}</pre></details>` : ''}
<h3>Responses</h3><ul>${responses}</ul>
</section>`);
    }
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title ?? 'API')}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
section{border-top:1px solid #ddd;padding:.5rem 0}.m{display:inline-block;min-width:4.5rem;font-size:.9rem;color:#fff;padding:.1rem .4rem;border-radius:.2rem}
.get{background:#2b7}.post{background:#27b}.put{background:#b72}.patch{background:#a5b}.delete{background:#c33}pre{background:#f6f6f6;padding:.5rem;overflow:auto}</style>
</head><body><h1>${escapeHtml(info.title ?? 'API')} <small>${escapeHtml(info.version ?? '')}</small></h1>
<p>${escapeHtml(info.description ?? '')}</p><p><a href="openapi.json">openapi.json</a></p>
${sections.join('\n')}
</body></html>`;
}
