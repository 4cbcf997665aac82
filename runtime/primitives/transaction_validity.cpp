#include "runtime/primitives/transaction_validity.hpp"

namespace bazaar::runtime {

std::string to_string(const TransactionValidityError& e) {
  if (auto* inv = std::get_if<InvalidTransaction>(&e.error)) {
    switch (*inv) {
      case InvalidTransaction::Call: return "Transaction call is not expected";
      case InvalidTransaction::Payment: return "Inability to pay some fees (e.g. account balance too low)";
      case InvalidTransaction::Future: return "Transaction will be valid in the future";
      case InvalidTransaction::Stale: return "Transaction is outdated";
      case InvalidTransaction::BadProof: return "Transaction has a bad signature";
      case InvalidTransaction::AncientBirthBlock: return "Transaction has an ancient birth block";
      case InvalidTransaction::ExhaustsResources: return "Transaction would exhaust the block limits";
      case InvalidTransaction::Custom: return "InvalidTransaction custom error";
      case InvalidTransaction::BadMandatory: return "A call was labelled as mandatory, but resulted in an Error.";
      case InvalidTransaction::MandatoryValidation: return "Transaction dispatch is mandatory; transactions must not be validated.";
      case InvalidTransaction::BadSigner: return "Invalid signing address";
    }
  } else {
    switch (std::get<UnknownTransaction>(e.error)) {
      case UnknownTransaction::CannotLookup: return "Could not lookup information required to validate the transaction";
      case UnknownTransaction::NoUnsignedValidator: return "Could not find an unsigned validator for the unsigned transaction";
      case UnknownTransaction::Custom: return "UnknownTransaction custom error";
    }
  }
  return "Unknown transaction validity error";
}

}  // namespace bazaar::runtime
