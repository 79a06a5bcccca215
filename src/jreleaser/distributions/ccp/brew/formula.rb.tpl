# {{jreleaserCreationStamp}}
class {{brewFormulaName}} < Formula
  desc "{{projectDescription}}"
  homepage "{{projectLinkHomepage}}"
  url "{{distributionUrl}}"
  version "{{projectVersion}}"
  sha256 "{{distributionChecksumSha256}}"
  license "{{projectLicense}}"

  {{#brewDependencies}}
  depends_on {{.}}
  {{/brewDependencies}}

  def install
    libexec.install "bin", "lib"
    (bin/"ccp").write_env_script libexec/"bin/ccp", Language::Java.overridable_java_home_env("17")
    bash_completion.install "share/bash-completion/completions/ccp"
    man1.install "share/man/man1/ccp.1"
    prefix.install "LICENSE"
  end

  test do
    assert_match "ccp {{projectVersion}}", shell_output("#{bin}/ccp --version")
  end
end
