// ELicence on Azure: a Flex Consumption Function App reaching Storage and Key Vault with a managed identity.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; used to name the resource group and resources.')
param environmentName string

@minLength(1)
@description('Azure region for every resource.')
param location string

@description('Public base URL of the service, used as the issuer id in credentials and receipts.')
param issuerId string = ''

@description('Microsoft Entra ID: the Application ID URI (or client id) of the API\'s app registration, as tokens carry it in aud. Empty: only API keys are accepted.')
param entraAudience string = ''

@description('Microsoft Entra ID: the v2.0 authority whose tokens are accepted; by default the tenant of this deployment.')
param entraAuthority string = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'

@description('E-mail address the operators\' alerts (e.g. messages in a poison queue) are sent to; empty: the alerts only show in Azure Monitor.')
param alertEmail string = ''

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module app 'app/resources.bicep' = {
  name: 'elicence-resources'
  scope: rg
  params: {
    location: location
    tags: tags
    token: token
    issuerId: issuerId
    entraAudience: entraAudience
    entraAuthority: entraAuthority
    alertEmail: alertEmail
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = app.outputs.functionAppName
output SERVICE_API_URI string = app.outputs.functionAppUri
output AZURE_KEY_VAULT_URI string = app.outputs.keyVaultUri
