/** Every panel, rows' nested panels included. */
export function allPanels(dashboard: { panels?: unknown[] }): { title?: string; targets?: { expr?: string }[]; panels?: unknown[] }[] {
    const out: { title?: string; targets?: { expr?: string }[]; panels?: unknown[] }[] = [];
    const walk = (panels: unknown[]) => {
        for (const panel of panels as { panels?: unknown[] }[]) {
            out.push(panel);
            walk(panel.panels ?? []);
        }
    };
    walk(dashboard.panels ?? []);
    return out;
}
