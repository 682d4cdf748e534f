import * as pulumi from "@pulumi/pulumi";
import { createCertificateAuthority, createServerCertificate, ServerIdentity } from "./x509";

/*
 * Keys, certificates and generated passwords are made once, when the resource is created, and kept
 * in the stack's state as secrets: a later `pulumi up` reuses them instead of issuing new ones.
 * They are Pulumi dynamic resources because the provider that would otherwise make them
 * (@pulumi/tls) is a plugin binary that not every deployment machine can install; these run in the
 * Node.js process of the program itself, with @peculiar/x509 over Node's WebCrypto.
 *
 * The provider objects are serialized into the state with the functions they call; those load
 * their npm dependencies with `require` when they run.
 */

const day = 24 * 60 * 60 * 1000;

/** Whether a certificate is within `renewBeforeDays` of its end (or past it). */
function dueForRenewal(notAfter: string | undefined, renewBeforeDays: number): boolean {
    return notAfter === undefined || Date.parse(notAfter) - renewBeforeDays * day <= Date.now();
}

/**
 * The diff and update of a certificate: replaced when one of `replaceOn` changes or it is due for
 * renewal; a new renewBeforeDays alone is an update that issues nothing.
 */
function certificateLifecycle<T extends { renewBeforeDays: number }>(
    replaceOn: readonly (keyof T)[],
): Pick<pulumi.dynamic.ResourceProvider, "diff" | "update"> {
    return {
        async diff(_id: string, olds: T & { notAfter?: string }, news: T) {
            const replaces = replaceOn.filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key])).map(String);
            if (dueForRenewal(olds.notAfter, news.renewBeforeDays)) replaces.push("validityDays");
            return { changes: replaces.length > 0 || olds.renewBeforeDays !== news.renewBeforeDays, replaces, deleteBeforeReplace: false };
        },
        async update(_id: string, olds: object, news: T) {
            return { outs: { ...olds, renewBeforeDays: news.renewBeforeDays } };
        },
    };
}

/** Inputs of {@link CertificateAuthority}. */
export interface CertificateAuthorityArgs {
    /** The CA's common name, e.g. "monitoring dev CA". */
    readonly commonName: pulumi.Input<string>;
    /** How long the CA certificate is valid, in days. */
    readonly validityDays: pulumi.Input<number>;
    /** Issue a new CA when it has fewer days left than this. */
    readonly renewBeforeDays: pulumi.Input<number>;
}

interface CertificateAuthorityInputs {
    commonName: string;
    validityDays: number;
    renewBeforeDays: number;
}

const certificateAuthorityProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: CertificateAuthorityInputs) {
        const issued = await createCertificateAuthority({ commonName: inputs.commonName, validityDays: inputs.validityDays });
        return { id: `ca-${Date.now().toString(36)}`, outs: { ...inputs, ...issued } };
    },
    ...certificateLifecycle<CertificateAuthorityInputs>(["commonName", "validityDays"]),
};

/**
 * A certificate authority of the stack: its certificate is what clients (Prometheus, Grafana,
 * curl, browsers) trust; its key signs the server certificates and stays in the state, secret.
 */
export class CertificateAuthority extends pulumi.dynamic.Resource {
    declare readonly certPem: pulumi.Output<string>;
    declare readonly keyPem: pulumi.Output<string>;
    declare readonly notAfter: pulumi.Output<string>;

    constructor(name: string, args: CertificateAuthorityArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            certificateAuthorityProvider,
            name,
            { ...args, certPem: undefined, keyPem: undefined, notAfter: undefined },
            { ...opts, additionalSecretOutputs: ["keyPem"] },
            "tls",
            "CertificateAuthority",
        );
    }
}

/** Inputs of {@link ServerCertificate}. */
export interface ServerCertificateArgs {
    /** The CA that signs it. */
    readonly caCertPem: pulumi.Input<string>;
    readonly caKeyPem: pulumi.Input<string>;
    /** The names and addresses clients reach the host by. */
    readonly identity: pulumi.Input<ServerIdentity>;
    /** How long the certificate is valid, in days. */
    readonly validityDays: pulumi.Input<number>;
    /** Issue a new certificate on `pulumi up` when it has fewer days left than this. */
    readonly renewBeforeDays: pulumi.Input<number>;
}

interface ServerCertificateInputs {
    caCertPem: string;
    caKeyPem: string;
    identity: ServerIdentity;
    validityDays: number;
    renewBeforeDays: number;
}

const serverCertificateProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: ServerCertificateInputs) {
        const issued = await createServerCertificate({ certPem: inputs.caCertPem, keyPem: inputs.caKeyPem }, inputs.identity, {
            validityDays: inputs.validityDays,
        });
        return { id: `cert-${Date.now().toString(36)}`, outs: { ...inputs, ...issued } };
    },
    ...certificateLifecycle<ServerCertificateInputs>(["caCertPem", "identity", "validityDays"]),
};

/** A TLS server certificate for one host, signed by the stack's CA; renewed by `pulumi up` before it ends. */
export class ServerCertificate extends pulumi.dynamic.Resource {
    declare readonly certPem: pulumi.Output<string>;
    declare readonly keyPem: pulumi.Output<string>;
    declare readonly notAfter: pulumi.Output<string>;

    constructor(name: string, args: ServerCertificateArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            serverCertificateProvider,
            name,
            { ...args, caKeyPem: pulumi.secret(args.caKeyPem), certPem: undefined, keyPem: undefined, notAfter: undefined },
            { ...opts, additionalSecretOutputs: ["keyPem", "caKeyPem"] },
            "tls",
            "ServerCertificate",
        );
    }
}

const generatedPasswordProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: { length: number }) {
        const { randomBytes } = require("crypto") as typeof import("crypto");
        // URL- and YAML-safe characters, so the password needs no quoting anywhere it is written.
        const value = randomBytes(inputs.length * 2)
            .toString("base64")
            .replace(/[^A-Za-z0-9]/g, "")
            .slice(0, inputs.length);
        return { id: `password-${Date.now().toString(36)}`, outs: { length: inputs.length, value } };
    },
    async diff(_id: string, olds: { length: number }, news: { length: number }) {
        return { changes: olds.length !== news.length, replaces: olds.length !== news.length ? ["length"] : [] };
    },
};

/** A random password made once and kept in the state as a secret. */
export class GeneratedPassword extends pulumi.dynamic.Resource {
    declare readonly value: pulumi.Output<string>;

    constructor(name: string, args: { readonly length: number }, opts?: pulumi.CustomResourceOptions) {
        super(generatedPasswordProvider, name, { ...args, value: undefined }, { ...opts, additionalSecretOutputs: ["value"] }, "tls", "GeneratedPassword");
    }
}
