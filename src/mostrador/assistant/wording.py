"""What the bot says, in Spanish, Portuguese and English. Pure.

Spanish in the polite usted form understood everywhere from Madrid to Mexico City, Brazilian
Portuguese, plain English. Values are filled with ``str.format``.
"""

from __future__ import annotations

from typing import Final

from mostrador.assistant.examples import Language

__all__ = ["ORDER_STATUS", "say"]

_PHRASES: Final[dict[str, dict[Language, str]]] = {
    "greeting": {
        "es": "¡Hola! Soy el asistente de {shop}. Puedo ayudar con pedidos, stock en los "
        "locales, horarios, cambios y devoluciones, promociones, puntos y medios de pago. "
        "¿En qué puedo ayudar?",
        "pt": "Olá! Sou o assistente da {shop}. Posso ajudar com pedidos, estoque nas lojas, "
        "horários, trocas e devoluções, promoções, pontos e formas de pagamento. Do que precisa?",
        "en": "Hi! I'm {shop}'s assistant. I can help with orders, stock at our stores, opening "
        "hours, returns and exchanges, promotions, points and payment methods. What do you need?",
    },
    "thanks": {
        "es": "¡De nada! Si necesita algo más, escríbanos por acá.",
        "pt": "Por nada! Se precisar de mais alguma coisa, é só escrever aqui.",
        "en": "You're welcome! Write here any time you need something else.",
    },
    "ask_again": {
        "es": "Perdón, no estoy seguro de haber entendido. ¿Puede contarlo con otras palabras? "
        "Por ejemplo: «dónde está mi pedido 10234» o «hay stock de la remera en M».",
        "pt": "Desculpe, não tenho certeza se entendi. Pode explicar de outro jeito? Por exemplo: "
        "«onde está meu pedido 10234» ou «tem a camiseta no M».",
        "en": "Sorry, I'm not sure I understood. Could you put it another way? For example: "
        "'where is my order 10234' or 'do you have the t-shirt in M'.",
    },
    "handover": {
        "es": "Le paso con una persona del equipo, que ya tiene todo lo que me contó.",
        "pt": "Vou passar para uma pessoa da equipe, que já tem tudo o que você me contou.",
        "en": "I'm passing you to a person on the team, who already has everything you told me.",
    },
    "handover_closed": {
        "es": "Le paso con una persona del equipo, que ya tiene todo lo que me contó. Ahora "
        "estamos cerrados: le responden {when}.",
        "pt": "Vou passar para uma pessoa da equipe, que já tem tudo o que você me contou. Agora "
        "estamos fechados: você recebe resposta {when}.",
        "en": "I'm passing you to a person on the team, who already has everything you told me. "
        "We're closed right now: they'll answer {when}.",
    },
    "out_of_scope": {
        "es": "Por este canal atendemos consultas de clientes de {shop}. Para otros temas "
        "(proveedores, trabajo, prensa) escríbanos a {email}.",
        "pt": "Por este canal atendemos clientes da {shop}. Para outros assuntos (fornecedores, "
        "vagas, imprensa), escreva para {email}.",
        "en": "This channel is for {shop}'s customers. For anything else (suppliers, jobs, "
        "press) please write to {email}.",
    },
    "order_ask_ref": {
        "es": "¿Me pasa el número de pedido? Lo encuentra en el mail de confirmación.",
        "pt": "Pode me passar o número do pedido? Ele está no e-mail de confirmação.",
        "en": "Could you send me the order number? It's in the confirmation e-mail.",
    },
    "order_verify": {
        "es": "Para cuidar sus datos necesito confirmar que el pedido {ref} es suyo: ¿me dice el "
        "e-mail o el teléfono con el que compró?",
        "pt": "Para proteger seus dados, preciso confirmar que o pedido {ref} é seu: qual e-mail "
        "ou telefone você usou na compra?",
        "en": "To protect your details I need to check that order {ref} is yours: what e-mail or "
        "phone number did you order with?",
    },
    "order_not_found": {
        "es": "No encuentro el pedido {ref} entre sus compras. ¿Puede revisar el número?",
        "pt": "Não encontrei o pedido {ref} nas suas compras. Pode conferir o número?",
        "en": "I can't find order {ref} among your purchases. Could you check the number?",
    },
    "order_status": {
        "es": "Su pedido {ref} ({items}): {status}.",
        "pt": "Seu pedido {ref} ({items}): {status}.",
        "en": "Your order {ref} ({items}): {status}.",
    },
    "stock_ask_product": {
        "es": "¿Qué producto busca? Si sabe el talle y el color, mejor.",
        "pt": "Qual produto você procura? Se souber o tamanho e a cor, melhor.",
        "en": "Which product are you looking for? Size and colour help too.",
    },
    "stock_here": {
        "es": "Sí, {product} hay en {places}.",
        "pt": "Sim, {product} tem em {places}.",
        "en": "Yes, {product} is in stock at {places}.",
    },
    "stock_elsewhere": {
        "es": "En {store} no queda {product}, pero hay en {places}.",
        "pt": "Na {store} não tem {product}, mas tem em {places}.",
        "en": "{store} is out of {product}, but {places} has it.",
    },
    "stock_none": {
        "es": "Ahora no tenemos {product} en ningún local. Si quiere, le aviso cuando vuelva.",
        "pt": "No momento não temos {product} em nenhuma loja. Posso avisar quando voltar.",
        "en": "{product} is out of stock everywhere right now. I can let you know when it's back.",
    },
    "stores": {
        "es": "Nuestros locales:\n{stores}",
        "pt": "Nossas lojas:\n{stores}",
        "en": "Our stores:\n{stores}",
    },
    "return_policy": {
        "es": "Puede cambiar o devolver lo que compró dentro de los {days} días, sin uso y con "
        "la etiqueta, en cualquier local o por envío, sin importar dónde lo compró.",
        "pt": "Você pode trocar ou devolver o que comprou em até {days} dias, sem uso e com a "
        "etiqueta, em qualquer loja ou pelo correio, não importa onde comprou.",
        "en": "You can exchange or return what you bought within {days} days, unused and with "
        "the tag, at any store or by post, wherever you bought it.",
    },
    "return_confirm": {
        "es": "El pedido {ref} está dentro del plazo (hasta el {until}). ¿Quiere que abra la "
        "devolución? Responda «sí» para confirmar.",
        "pt": "O pedido {ref} está dentro do prazo (até {until}). Quer que eu abra a devolução? "
        "Responda «sim» para confirmar.",
        "en": "Order {ref} is within the return period (until {until}). Shall I open the "
        "return? Reply 'yes' to confirm.",
    },
    "return_late": {
        "es": "El plazo para devolver el pedido {ref} venció el {until}.",
        "pt": "O prazo para devolver o pedido {ref} terminou em {until}.",
        "en": "The return period for order {ref} ended on {until}.",
    },
    "offer_pickup": {
        "es": " ¿Quiere que le reserve una para retirar en {store}? Responda «sí» para confirmar.",
        "pt": " Quer que eu reserve uma para retirar na {store}? Responda «sim» para confirmar.",
        "en": " Shall I hold one for you to collect at {store}? Reply 'yes' to confirm.",
    },
    "pickup_booked": {
        "es": "Listo: reservamos {product} para retirar en {store}. Código de retiro: {code}. "
        "Le avisamos cuando esté lista; se paga al retirar.",
        "pt": "Pronto: reservamos {product} para retirar na {store}. Código de retirada: {code}. "
        "Avisamos quando estiver pronto; o pagamento é na retirada.",
        "en": "Done: {product} is held for you at {store}. Pickup code: {code}. We'll let you "
        "know when it's ready; you pay when you collect it.",
    },
    "cancelled": {
        "es": "Listo, no hago nada. ¿Le ayudo con algo más?",
        "pt": "Certo, não faço nada. Posso ajudar em mais alguma coisa?",
        "en": "Okay, I won't do anything. Anything else I can help with?",
    },
    "promotions": {
        "es": "Promociones vigentes:\n{promotions}",
        "pt": "Promoções em vigor:\n{promotions}",
        "en": "Current promotions:\n{promotions}",
    },
    "no_promotions": {
        "es": "Hoy no tenemos promociones vigentes.",
        "pt": "Hoje não temos promoções em vigor.",
        "en": "There are no promotions running today.",
    },
    "price": {
        "es": "{product} sale {price}.",
        "pt": "{product} custa {price}.",
        "en": "{product} costs {price}.",
    },
    "points": {
        "es": "Tiene {points} puntos.",
        "pt": "Você tem {points} pontos.",
        "en": "You have {points} points.",
    },
    "payments": {
        "es": "Aceptamos: {methods}.{instalments}",
        "pt": "Aceitamos: {methods}.{instalments}",
        "en": "We accept: {methods}.{instalments}",
    },
}

ORDER_STATUS: Final[dict[str, dict[Language, str]]] = {
    "placed": {"es": "lo recibimos y lo estamos preparando", "pt": "recebemos e estamos preparando",
               "en": "we received it and are preparing it"},
    "paid": {"es": "está pago y en preparación", "pt": "está pago e em preparação",
             "en": "it's paid and being prepared"},
    "ready_for_pickup": {"es": "está listo para retirar en {store} con el código {code}",
                         "pt": "está pronto para retirar na {store} com o código {code}",
                         "en": "it's ready to collect at {store} with code {code}"},
    "shipped": {"es": "está en camino; llega entre el {from_} y el {until}",
                "pt": "está a caminho; chega entre {from_} e {until}",
                "en": "it's on its way; it arrives between {from_} and {until}"},
    "delivered": {"es": "fue entregado", "pt": "foi entregue", "en": "it was delivered"},
    "collected": {"es": "ya fue retirado", "pt": "já foi retirado", "en": "it was collected"},
    "offer_pickup": {
        "es": " ¿Quiere que le reserve una para retirar en {store}? Responda «sí» para confirmar.",
        "pt": " Quer que eu reserve uma para retirar na {store}? Responda «sim» para confirmar.",
        "en": " Shall I hold one for you to collect at {store}? Reply 'yes' to confirm.",
    },
    "pickup_booked": {
        "es": "Listo: reservamos {product} para retirar en {store}. Código de retiro: {code}. "
        "Le avisamos cuando esté lista; se paga al retirar.",
        "pt": "Pronto: reservamos {product} para retirar na {store}. Código de retirada: {code}. "
        "Avisamos quando estiver pronto; o pagamento é na retirada.",
        "en": "Done: {product} is held for you at {store}. Pickup code: {code}. We'll let you "
        "know when it's ready; you pay when you collect it.",
    },
    "cancelled": {"es": "fue cancelado", "pt": "foi cancelado", "en": "it was cancelled"},
    "returned": {"es": "fue devuelto", "pt": "foi devolvido", "en": "it was returned"},
    "partially_returned": {"es": "tiene una devolución parcial", "pt": "tem uma devolução parcial",
                           "en": "part of it was returned"},
}  # fmt: skip


def say(key: str, language: Language, **values: object) -> str:
    """The phrase ``key`` in ``language`` with ``values`` filled in."""
    return _PHRASES[key][language].format(**values)
