claude mcp add flux-operator-mcp --env KUBECONFIG=/path/to/.kube/config -- flux-operator-mcp serve --read-only
