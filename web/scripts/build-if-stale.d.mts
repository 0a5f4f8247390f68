export declare function webBuildIsStale(): boolean;
export declare function buildWebIfStale(options?: { force?: boolean; quiet?: boolean }): boolean;
