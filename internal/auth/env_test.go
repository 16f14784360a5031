// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"reflect"
	"testing"
)

func envFrom(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestApplyEnv(t *testing.T) {
	tests := []struct {
		name        string
		cfg         Config
		env         map[string]string
		want        Config
		wantSources map[string]string
	}{
		{
			name: "PARTNERCENTER_ wins over ARM_",
			env: map[string]string{
				"PARTNERCENTER_TENANT_ID": "pc-tenant", "ARM_TENANT_ID": "arm-tenant",
				"ARM_CLIENT_ID": "arm-client", "ARM_CLIENT_SECRET": "arm-secret",
			},
			want:        Config{TenantID: "pc-tenant", ClientID: "arm-client", ClientSecret: "arm-secret"},
			wantSources: map[string]string{AttrTenantID: "PARTNERCENTER_TENANT_ID", AttrClientID: "ARM_CLIENT_ID", AttrClientSecret: "ARM_CLIENT_SECRET"},
		},
		{
			name:        "explicit values are never overwritten",
			cfg:         Config{TenantID: "explicit", Environment: "china"},
			env:         map[string]string{"ARM_TENANT_ID": "env", "ARM_ENVIRONMENT": "public", "ARM_USE_CLI": "true"},
			want:        Config{TenantID: "explicit", Environment: "china", UseCLI: true},
			wantSources: map[string]string{AttrUseCLI: "ARM_USE_CLI"},
		},
		{
			name: "an explicit method blocks other methods from the environment but not their parameters",
			cfg:  Config{UseOIDC: true},
			env: map[string]string{
				"ARM_CLIENT_SECRET": "stray", "ARM_USE_CLI": "true", "PARTNERCENTER_ACCESS_TOKEN": "stray",
				"ACTIONS_ID_TOKEN_REQUEST_URL": "https://gh/idtoken", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "req",
				"ARM_CLIENT_CERTIFICATE_PASSWORD": "pw",
			},
			want: Config{UseOIDC: true, OIDCRequestURL: "https://gh/idtoken", OIDCRequestToken: "req", ClientCertificatePassword: "pw"},
			wantSources: map[string]string{
				AttrOIDCRequestURL: "ACTIONS_ID_TOKEN_REQUEST_URL", AttrOIDCRequestToken: "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
				AttrClientCertificatePassword: "ARM_CLIENT_CERTIFICATE_PASSWORD",
			},
		},
		{
			name: "ARM_OIDC_REQUEST_* win over GitHub's variables",
			env: map[string]string{
				"ARM_USE_OIDC": "true", "ARM_OIDC_REQUEST_URL": "https://arm", "ACTIONS_ID_TOKEN_REQUEST_URL": "https://gh",
				"ARM_OIDC_REQUEST_TOKEN": "arm-req", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "gh-req",
				"ARM_OIDC_TOKEN": "tok", "ARM_OIDC_TOKEN_FILE_PATH": "/var/run/token",
			},
			want: Config{UseOIDC: true, OIDCRequestURL: "https://arm", OIDCRequestToken: "arm-req", OIDCToken: "tok", OIDCTokenFilePath: "/var/run/token"},
			wantSources: map[string]string{
				AttrUseOIDC: "ARM_USE_OIDC", AttrOIDCRequestURL: "ARM_OIDC_REQUEST_URL", AttrOIDCRequestToken: "ARM_OIDC_REQUEST_TOKEN",
				AttrOIDCToken: "ARM_OIDC_TOKEN", AttrOIDCTokenFilePath: "ARM_OIDC_TOKEN_FILE_PATH",
			},
		},
		{
			name:        "PARTNERCENTER_USE_MSI=false beats ARM_USE_MSI=true; odd spellings of true work",
			env:         map[string]string{"PARTNERCENTER_USE_MSI": "false", "ARM_USE_MSI": "true", "ARM_USE_CLI": "Yes"},
			want:        Config{UseCLI: true},
			wantSources: map[string]string{AttrUseCLI: "ARM_USE_CLI"},
		},
		{
			name: "partner-center-only variables",
			env: map[string]string{
				"PARTNERCENTER_ACCESS_TOKEN": "tok", "PARTNERCENTER_ENDPOINT": "https://127.0.0.1:1",
				"PARTNERCENTER_AUTHORITY_HOST": "https://127.0.0.1:1/", "ARM_CLIENT_CERTIFICATE_PATH": "/c.pem",
			},
			want: Config{AccessToken: "tok", Endpoint: "https://127.0.0.1:1", AuthorityHost: "https://127.0.0.1:1/", ClientCertificatePath: "/c.pem"},
			wantSources: map[string]string{
				AttrAccessToken: "PARTNERCENTER_ACCESS_TOKEN", AttrEndpoint: "PARTNERCENTER_ENDPOINT",
				AttrAuthorityHost: "PARTNERCENTER_AUTHORITY_HOST", AttrClientCertificatePath: "ARM_CLIENT_CERTIFICATE_PATH",
			},
		},
		{
			name:        "blank values are ignored",
			env:         map[string]string{"PARTNERCENTER_CLIENT_ID": "  ", "ARM_CLIENT_ID": "arm"},
			want:        Config{ClientID: "arm"},
			wantSources: map[string]string{AttrClientID: "ARM_CLIENT_ID"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			sources := ApplyEnv(&cfg, envFrom(tt.env))
			if cfg != tt.want {
				t.Errorf("config = %+v\nwant     %+v", cfg, tt.want)
			}
			if !reflect.DeepEqual(sources, tt.wantSources) {
				t.Errorf("sources = %v, want %v", sources, tt.wantSources)
			}
			for attr, name := range sources {
				if name == tt.env[name] {
					t.Errorf("source for %s is a value, not a variable name", attr)
				}
			}
		})
	}
}

func TestEnvVars(t *testing.T) {
	if got := EnvVars(AttrOIDCRequestToken); !reflect.DeepEqual(got, []string{"PARTNERCENTER_OIDC_REQUEST_TOKEN", "ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "SYSTEM_ACCESSTOKEN"}) {
		t.Errorf("EnvVars = %v", got)
	}
	if got := EnvVars("nope"); got != nil {
		t.Errorf("EnvVars(unknown) = %v", got)
	}
}
