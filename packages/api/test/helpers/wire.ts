// The wire shapes API tests read (only the attributes tests look at; the server sends more).

export interface Standard {
  readonly id: string;
  readonly name: string;
  readonly project_id: string;
  readonly tenant_id: string;
  readonly description: string;
  readonly tags: string[];
  readonly created_at: string;
  readonly updated_at: string;
  readonly revision_number: number;
}

export interface NetworkView extends Standard {
  readonly mtu: number;
  readonly subnets: string[];
  readonly shared: boolean;
  readonly 'router:external': boolean;
  readonly admin_state_up: boolean;
  readonly status: string;
  readonly 'provider:network_type'?: string;
  readonly 'provider:segmentation_id'?: number | null;
}

export interface Link {
  readonly rel: 'next' | 'previous';
  readonly href: string;
}

export type One<K extends string, V> = { readonly [P in K]: V };
export type Many<K extends string, V> = { readonly [P in K]: V[] } & {
  readonly [P in `${K}_links`]?: Link[];
};
