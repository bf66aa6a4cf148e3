using System.Resources;

// Texts.resx is Chinese: a Chinese page reads the main assembly's resources without probing for a satellite.
[assembly: NeutralResourcesLanguage("zh-CN")]
