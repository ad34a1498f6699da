"""Case officers: accounts, login sessions, the inbox query, reports and notices.

Errors raised here (all subclass `OfficerError` and the builtin they resemble):
- `UsernameTaken` (ValueError): an account with that username exists.
- `WeakPassword` (ValueError): the password breaks the policy.
- `InvalidRole` (ValueError): not one of `officer`, `admin`.
- `UnknownOfficer` (LookupError): no account with that username.
"""
