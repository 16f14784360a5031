// SPDX-License-Identifier: MPL-2.0

package auth

import "testing"

func TestResolvedURLs(t *testing.T) {
	tests := []struct {
		name                    string
		cfg                     Config
		wantEndpoint, wantLogin string
	}{
		{"default is public", Config{}, "https://api.partnercenter.microsoft.com", "https://login.microsoftonline.com/"},
		{"china", Config{Environment: "China"}, "https://partner.partnercenterapi.microsoftonline.cn", "https://login.chinacloudapi.cn/"},
		{"azurerm spelling", Config{Environment: "AzureChinaCloud"}, "https://partner.partnercenterapi.microsoftonline.cn", "https://login.chinacloudapi.cn/"},
		{"overrides", Config{Environment: "china", Endpoint: "https://127.0.0.1:8443/", AuthorityHost: "https://127.0.0.1:8443"}, "https://127.0.0.1:8443", "https://127.0.0.1:8443/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cfg.ResolvedEndpoint(); got != tt.wantEndpoint {
				t.Errorf("ResolvedEndpoint = %q, want %q", got, tt.wantEndpoint)
			}
			if got := tt.cfg.ResolvedAuthorityHost(); got != tt.wantLogin {
				t.Errorf("ResolvedAuthorityHost = %q, want %q", got, tt.wantLogin)
			}
		})
	}
}

func TestMethod(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{}, ""},
		{Config{ClientSecret: "s"}, MethodClientSecret},
		{Config{ClientCertificatePath: "/c"}, MethodClientCertificate},
		{Config{UseOIDC: true}, MethodOIDC},
		{Config{OIDCToken: "t"}, ""}, // a token source alone does not enable OIDC
		{Config{UseCLI: true}, MethodCLI},
		{Config{UseMSI: true}, MethodMSI},
		{Config{AccessToken: "t", ClientSecret: "s"}, MethodAccessToken},
	}
	for _, tt := range tests {
		if got := tt.cfg.Method(); got != tt.want {
			t.Errorf("%+v: Method = %q, want %q", tt.cfg, got, tt.want)
		}
	}
}
