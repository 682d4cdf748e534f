import { declareSettings } from "../settings/declare";

/** How the deployment reaches the hosts over SSH. */
export const sshSettings = declareSettings({
    sshPublicKeys: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "OpenSSH public keys authorized for root on every host (at least one).",
    },
    sshAgentSocket: {
        type: "string",
        default: "",
        description:
            "Path of an SSH agent's socket (ssh-agent -a <path>) holding the key the deployment reaches the hosts with: the private key then never enters the stack's state, not even encrypted. When empty, sshPrivateKey or sshPrivateKeyFile is used, and the key is kept in the state as a secret, with every remote step.",
    },
    sshJumpHost: {
        type: "string",
        default: "",
        description:
            "user@host[:port] of a jump host (bastion) whose address is in adminCidrs: the deployment reaches every host through it, as from CI runners whose own addresses are not. It takes the same key (or agent). Empty: the hosts are reached directly.",
    },
    sshPrivateKeyFile: {
        type: "string",
        default: "~/.ssh/id_ed25519",
        description: "Private key file the deployment uses to reach the hosts, when sshPrivateKey is empty.",
    },
    sshPrivateKey: {
        type: "string",
        default: "",
        description: "Private key the deployment uses to reach the hosts (PEM/OpenSSH text); overrides sshPrivateKeyFile.",
        secret: true,
    },
});
