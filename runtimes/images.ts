export function imageOf(repository: string, tag: string): string {
    return repository.includes("@sha256:") ? repository : `${repository}:${tag}`;
}

export function releaseImage(repository: string, version: string): string {
    return imageOf(repository, `v${version}`);
}
