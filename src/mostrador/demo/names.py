"""Given names and surnames per country, and how each country puts a full name together.

Pure. The lists are short, hand-written selections of names that are common in each
country across generations; they are for demo data, not statistics.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

Sex = Literal["f", "m"]
Language = Literal["es", "pt"]


@dataclass(frozen=True)
class NameBook:
    """The names of one country and its naming habits."""

    country: str
    language: Language
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    both_surnames_share: float  # how often people give two surnames (paternal + maternal)
    second_given_share: float  # how often a second given name is used ("María José")


@dataclass(frozen=True)
class PersonName:
    """A full name split the way e-mails and handles are built from it."""

    given: tuple[str, ...]
    surnames: tuple[str, ...]
    sex: Sex
    family: str  # the surname a person goes by: the first in Spanish, the last in Brazil

    @property
    def full(self) -> str:
        return " ".join((*self.given, *self.surnames))

    @property
    def first_given(self) -> str:
        return self.given[0]


def _names(text: str) -> tuple[str, ...]:
    """A comma-separated list written as a block of text (compact, and the formatter keeps it)."""
    return tuple(" ".join(name.split()) for name in text.split(",") if name.strip())


_AR = NameBook(
    country="AR",
    language="es",
    female=_names(
        """
        Sofía, Valentina, Martina, Catalina, Lucía, Camila, Julieta, Florencia, Agustina,
        Micaela, Milagros, Carolina, Mariana, Paula, Daniela, Romina, Natalia, Gabriela,
        Silvina, Laura, Verónica, Andrea, Claudia, Mónica, Susana, Graciela, Patricia,
        Alejandra, Marcela, Valeria, Lorena, Soledad, Cecilia, Victoria, Josefina, Delfina,
        Emilia, Olivia, Renata, Guadalupe, Abril, Antonella, Rocío, Belén, Jimena, Luciana,
        Noelia, Ana, María, Sabrina
        """
    ),
    male=_names(
        """
        Santiago, Mateo, Benjamín, Thiago, Joaquín, Bautista, Felipe, Tomás, Lautaro, Nicolás,
        Facundo, Agustín, Franco, Matías, Juan, Martín, Sebastián, Gonzalo, Federico, Diego,
        Pablo, Leandro, Maximiliano, Ezequiel, Emiliano, Ignacio, Lucas, Julián, Gastón, Hernán,
        Marcelo, Claudio, Gustavo, Daniel, Carlos, Jorge, Roberto, Alejandro, Fernando, Ricardo,
        Sergio, Walter, Mariano, Damián, Cristian, Luciano, Rodrigo, Germán, Valentín, Bruno
        """
    ),
    surnames=_names(
        """
        González, Rodríguez, Gómez, Fernández, López, Díaz, Martínez, Pérez, García, Sánchez,
        Romero, Sosa, Álvarez, Torres, Ruiz, Ramírez, Flores, Acosta, Benítez, Medina, Suárez,
        Herrera, Aguirre, Pereyra, Gutiérrez, Giménez, Molina, Silva, Castro, Rojas, Ortiz,
        Luna, Juárez, Cabrera, Ríos, Ferreyra, Godoy, Morales, Domínguez, Moreno, Peralta, Vega,
        Carrizo, Quiroga, Castillo, Ledesma, Muñoz, Ojeda, Ponce, Vera, Rossi, Russo, Ferrari,
        Romano, Bianchi, Colombo, Greco, Costa, Fontana, Marino
        """
    ),
    both_surnames_share=0.08,
    second_given_share=0.22,
)

_UY = NameBook(
    country="UY",
    language="es",
    female=_names(
        """
        Sofía, Valentina, Martina, Catalina, Isabella, Emma, Julieta, Lucía, Florencia, Camila,
        Agustina, Victoria, Micaela, Natalia, Carolina, Fernanda, Lorena, Andrea, Paola,
        Mariana, Silvia, Rosario, Verónica, Ximena, Claudia, Virginia, Cecilia, Gabriela, Ana,
        Laura, Patricia, Mónica, Alicia, Leticia, Inés, Magdalena, Sabrina, Stephanie, Noelia,
        Daniela
        """
    ),
    male=_names(
        """
        Mateo, Santiago, Benjamín, Joaquín, Felipe, Thiago, Bautista, Facundo, Agustín, Nicolás,
        Sebastián, Federico, Gonzalo, Martín, Diego, Pablo, Rodrigo, Andrés, Gastón, Marcelo,
        Fernando, Álvaro, Sergio, Daniel, Juan, José, Jorge, Luis, Carlos, Ricardo, Gustavo,
        Washington, Rubén, Nelson, Walter, Héctor, Alejandro, Emiliano, Maximiliano, Ignacio,
        Lucas, Bruno
        """
    ),
    surnames=_names(
        """
        Rodríguez, González, Fernández, García, Pérez, Martínez, López, Silva, Pereira, Sosa,
        Da Silva, Díaz, Suárez, Gómez, Ramírez, Álvarez, Acosta, Benítez, Cabrera, Núñez,
        Olivera, Méndez, Techera, De León, Castro, Correa, Moreira, Viera, Ferreira, Cardozo,
        Hernández, Romero, Píriz, Vázquez, Machado, Rocha, Bentancor, Larrosa, Duarte, Sánchez,
        Castillo, Morales, Medina, Santos, Mederos, Clavijo, Barreto, Silveira, Rivero
        """
    ),
    both_surnames_share=0.25,
    second_given_share=0.2,
)

_CL = NameBook(
    country="CL",
    language="es",
    female=_names(
        """
        Sofía, Isidora, Florencia, Agustina, Emilia, Josefa, Antonella, Trinidad, Maite,
        Catalina, Martina, Fernanda, Javiera, Constanza, Francisca, Valentina, Camila, Daniela,
        Carolina, Paulina, Macarena, Pamela, Claudia, Carla, Karina, Marcela, Paola, Andrea,
        Verónica, Patricia, Gloria, Ximena, Alejandra, Loreto, Bárbara, Natalia, Consuelo,
        Amanda, Rocío, Ignacia
        """
    ),
    male=_names(
        """
        Agustín, Benjamín, Vicente, Martín, Matías, Joaquín, Tomás, Maximiliano, Cristóbal,
        Sebastián, Felipe, Diego, Nicolás, Ignacio, Francisco, Gabriel, Bastián, Cristian,
        Rodrigo, Gonzalo, Mauricio, Patricio, Claudio, Marcelo, Luis, Juan, José, Jorge, Pedro,
        Manuel, Héctor, Sergio, Ricardo, Víctor, Eduardo, Hugo, Álvaro, Andrés, Camilo, Alonso,
        Esteban, Fabián
        """
    ),
    surnames=_names(
        """
        González, Muñoz, Rojas, Díaz, Pérez, Soto, Contreras, Silva, Martínez, Sepúlveda,
        Morales, Rodríguez, López, Fuentes, Hernández, Torres, Araya, Flores, Espinoza,
        Valenzuela, Castillo, Tapia, Reyes, Gutiérrez, Castro, Pizarro, Álvarez, Vásquez,
        Sánchez, Fernández, Ramírez, Carrasco, Gómez, Cortés, Herrera, Núñez, Jara, Vergara,
        Rivera, Figueroa, Riquelme, García, Miranda, Bravo, Vera, Molina, Vega, Campos,
        Sandoval, Orellana, Zúñiga, Olivares, Alarcón, Gallardo
        """
    ),
    both_surnames_share=0.7,
    second_given_share=0.3,
)

_PE = NameBook(
    country="PE",
    language="es",
    female=_names(
        """
        Ana, María, Rosa, Carmen, Luz, Milagros, Lucía, Valeria, Camila, Ariana, Fiorella,
        Xiomara, Yesenia, Katherine, Jessica, Karina, Vanessa, Diana, Sandra, Gladys, Elizabeth,
        Mariela, Silvia, Lourdes, Patricia, Flor, Roxana, Giuliana, Alessandra, Daniela, Andrea,
        Pamela, Susana, Mercedes, Nataly, Kiara, Gabriela, Claudia, Sofía, Valentina
        """
    ),
    male=_names(
        """
        José, Luis, Juan, Carlos, Jorge, Miguel, César, Víctor, Jesús, Manuel, Pedro, Alberto,
        Fernando, Raúl, Ricardo, Óscar, Walter, Wilmer, Edwin, Jhon, Kevin, Brayan, Renzo,
        Piero, Diego, Gustavo, Alonso, Sebastián, Mateo, Santiago, Rodrigo, Julio, Hugo, Ángel,
        Franco, Christian, Roberto, Eduardo, Álvaro, Daniel
        """
    ),
    surnames=_names(
        """
        Quispe, Flores, Sánchez, Rodríguez, García, Rojas, Mamani, Huamán, Díaz, Chávez,
        Vásquez, Ramírez, Torres, Mendoza, Castillo, López, Pérez, Gonzales, Ramos, Espinoza,
        Vargas, Gutiérrez, Cruz, Fernández, Castro, Salazar, Romero, Ruiz, Morales, Reyes,
        Álvarez, Córdova, Cárdenas, Silva, Condori, Aguilar, Medina, Palomino, Villanueva,
        Paredes, Herrera, Zapata, Rivera, Valverde, Soto, Tapia, Benites, Cabrera, Salas
        """
    ),
    both_surnames_share=0.75,
    second_given_share=0.3,
)

_CO = NameBook(
    country="CO",
    language="es",
    female=_names(
        """
        María, Luz, Ana, Diana, Sandra, Claudia, Paola, Andrea, Carolina, Natalia, Daniela,
        Valentina, Juliana, Laura, Camila, Mariana, Salomé, Sara, Isabella, Luciana, Manuela,
        Gabriela, Paula, Catalina, Viviana, Adriana, Liliana, Marcela, Yolanda, Gloria, Martha,
        Ángela, Lina, Yuliana, Tatiana, Johana, Leidy, Yesica, Estefanía, Antonella, Valeria,
        Luisa
        """
    ),
    male=_names(
        """
        Juan, Carlos, Luis, Jorge, Andrés, Diego, Felipe, Santiago, Sebastián, Alejandro,
        Nicolás, Daniel, David, Camilo, Mateo, Samuel, Jerónimo, Martín, Emmanuel, Esteban,
        Julián, Mauricio, Hernán, Álvaro, Fabio, Gustavo, Germán, Óscar, Édgar, Wilson, Jhon,
        Jairo, Fredy, Cristian, Brayan, Miguel, José, Manuel, Jaime, Ricardo, Iván
        """
    ),
    surnames=_names(
        """
        Rodríguez, Gómez, González, Martínez, García, López, Hernández, Sánchez, Ramírez, Pérez,
        Díaz, Muñoz, Rojas, Moreno, Jiménez, Vargas, Castro, Gutiérrez, Álvarez, Romero, Ortiz,
        Suárez, Torres, Herrera, Valencia, Quintero, Restrepo, Osorio, Giraldo, Cardona,
        Salazar, Ospina, Arango, Castaño, Ramos, Parra, Morales, Mejía, Zapata, Rivera,
        Guerrero, Cárdenas, Acosta, Montoya, Agudelo, Henao, Londoño, Patiño, Bedoya, Duque
        """
    ),
    both_surnames_share=0.7,
    second_given_share=0.35,
)

_MX = NameBook(
    country="MX",
    language="es",
    female=_names(
        """
        María, Guadalupe, Juana, Margarita, Verónica, Leticia, Rosa, Francisca, Teresa,
        Alejandra, Patricia, Elizabeth, Gabriela, Adriana, Claudia, Laura, Silvia, Martha,
        Araceli, Yolanda, Norma, Mónica, Karla, Fernanda, Daniela, Ximena, Valeria, Regina,
        Camila, Sofía, Renata, Andrea, Jimena, Paola, Brenda, Itzel, Citlali, Dulce, Abigail,
        Natalia, Mariana, Lupita
        """
    ),
    male=_names(
        """
        José, Juan, Luis, Miguel, Jesús, Francisco, Antonio, Alejandro, Pedro, Manuel, Jorge,
        Carlos, Roberto, Ricardo, Fernando, Eduardo, Javier, Arturo, Raúl, Sergio, Rafael,
        Armando, Alberto, Héctor, Óscar, Enrique, Ángel, Iván, Emiliano, Diego, Santiago,
        Leonardo, Mateo, Sebastián, Rodrigo, Iker, Gael, Uriel, Omar, Gerardo, Marco, Víctor
        """
    ),
    surnames=_names(
        """
        Hernández, García, Martínez, López, González, Pérez, Rodríguez, Sánchez, Ramírez, Cruz,
        Flores, Gómez, Morales, Vázquez, Reyes, Jiménez, Torres, Díaz, Gutiérrez, Ruiz, Mendoza,
        Aguilar, Ortiz, Moreno, Castillo, Romero, Álvarez, Méndez, Chávez, Rivera, Juárez,
        Ramos, Domínguez, Herrera, Medina, Castro, Vargas, Guzmán, Velázquez, Muñoz, Rojas,
        Contreras, Salazar, Luna, Ortega, Santiago, Guerrero, Estrada, Bautista, Cortés, Soto,
        Alvarado, Espinoza, Lara, Ávila, Ríos, Cervantes, Delgado, Trejo, Zamora
        """
    ),
    both_surnames_share=0.8,
    second_given_share=0.3,
)

_ES = NameBook(
    country="ES",
    language="es",
    female=_names(
        """
        María, Carmen, Ana, Isabel, Laura, Lucía, Marta, Cristina, Paula, Elena, Sara, Raquel,
        Pilar, Rosa, Montserrat, Mercedes, Silvia, Sandra, Beatriz, Nuria, Irene, Alba, Andrea,
        Julia, Claudia, Marina, Noelia, Patricia, Rocío, Teresa, Alicia, Eva, Inmaculada, Sofía,
        Martina, Daniela, Carla, Noa, Valeria, Lola, Olga, Ainhoa, Leire, Aitana, Begoña
        """
    ),
    male=_names(
        """
        Antonio, José, Manuel, Francisco, David, Juan, Javier, Daniel, Carlos, Jesús, Alejandro,
        Miguel, Rafael, Pedro, Pablo, Ángel, Sergio, Fernando, Jorge, Luis, Alberto, Álvaro,
        Adrián, Diego, Raúl, Iván, Rubén, Enrique, Óscar, Ramón, Andrés, Joaquín, Vicente,
        Santiago, Víctor, Mario, Hugo, Martín, Lucas, Marc, Jordi, Iker, Unai, Gonzalo, Xavier
        """
    ),
    surnames=_names(
        """
        García, Rodríguez, González, Fernández, López, Martínez, Sánchez, Pérez, Gómez, Martín,
        Jiménez, Hernández, Ruiz, Díaz, Moreno, Muñoz, Álvarez, Romero, Gutiérrez, Alonso,
        Navarro, Torres, Domínguez, Ramos, Vázquez, Ramírez, Gil, Serrano, Morales, Molina,
        Blanco, Suárez, Castro, Ortega, Delgado, Ortiz, Marín, Rubio, Núñez, Medina, Sanz,
        Castillo, Iglesias, Cortés, Garrido, Santos, Guerrero, Lozano, Cano, Prieto, Méndez,
        Cruz, Calvo, Gallego, Vidal, León, Herrera, Márquez, Peña, Flores, Cabrera, Campos,
        Vega, Fuentes, Carrasco, Diez, Caballero, Reyes, Nieto, Aguilar, Pascual, Santana,
        Herrero, Lorenzo, Hidalgo, Montero, Ibáñez, Giménez, Ferrer, Durán
        """
    ),
    both_surnames_share=0.92,
    second_given_share=0.25,
)

_BR = NameBook(
    country="BR",
    language="pt",
    female=_names(
        """
        Maria, Ana, Francisca, Antônia, Adriana, Juliana, Márcia, Fernanda, Patrícia, Aline,
        Sandra, Camila, Amanda, Bruna, Jéssica, Letícia, Júlia, Luciana, Vanessa, Mariana,
        Gabriela, Vera, Vitória, Larissa, Cláudia, Beatriz, Luana, Rita, Sônia, Renata, Eliane,
        Helena, Alice, Laura, Valentina, Sophia, Isabella, Manuela, Giovanna, Lívia, Heloísa,
        Cecília, Lorena, Rafaela, Natália
        """
    ),
    male=_names(
        """
        José, João, Antônio, Francisco, Carlos, Paulo, Pedro, Lucas, Luiz, Marcos, Luís,
        Gabriel, Rafael, Daniel, Marcelo, Bruno, Eduardo, Felipe, Raimundo, Rodrigo, Manoel,
        Mateus, André, Fernando, Fábio, Leonardo, Gustavo, Guilherme, Leandro, Tiago, Anderson,
        Ricardo, Márcio, Jorge, Sebastião, Alexandre, Roberto, Diego, Vinícius, Thiago, Miguel,
        Arthur, Heitor, Davi, Bernardo, Samuel, Enzo
        """
    ),
    surnames=_names(
        """
        Silva, Santos, Oliveira, Souza, Rodrigues, Ferreira, Alves, Pereira, Lima, Gomes, Costa,
        Ribeiro, Martins, Carvalho, Almeida, Lopes, Soares, Fernandes, Vieira, Barbosa, Rocha,
        Dias, Nascimento, Andrade, Moreira, Nunes, Marques, Machado, Mendes, Freitas, Cardoso,
        Ramos, Gonçalves, Santana, Teixeira, Araújo, Cavalcanti, Monteiro, Correia, Pinto,
        Moura, Campos, Batista, Castro, Azevedo, Farias, Conceição, Jesus
        """
    ),
    both_surnames_share=0.65,
    second_given_share=0.3,
)

NAME_BOOKS: dict[str, NameBook] = {
    book.country: book for book in (_AR, _UY, _CL, _PE, _CO, _MX, _ES, _BR)
}

# Brazilian surnames that often carry their particle: "da Silva", "dos Santos".
_BR_PARTICLES = {
    "Silva": "da",
    "Santos": "dos",
    "Souza": "de",
    "Oliveira": "de",
    "Costa": "da",
    "Conceição": "da",
    "Jesus": "de",
}


def _pick_given(rng: random.Random, book: NameBook, sex: Sex) -> tuple[str, ...]:
    pool = book.female if sex == "f" else book.male
    first = rng.choice(pool)
    if rng.random() >= book.second_given_share:
        return (first,)
    second = rng.choice(pool)
    while second == first:
        second = rng.choice(pool)
    return (first, second)


def _pick_surnames(rng: random.Random, book: NameBook) -> tuple[str, ...]:
    paternal = rng.choice(book.surnames)
    if rng.random() >= book.both_surnames_share:
        chosen: tuple[str, ...] = (paternal,)
    else:
        maternal = rng.choice(book.surnames)
        while maternal == paternal:
            maternal = rng.choice(book.surnames)
        # Brazil puts the mother's surname first; Spanish-speaking countries the father's.
        chosen = (maternal, paternal) if book.country == "BR" else (paternal, maternal)
    if book.country != "BR":
        return chosen
    last = chosen[-1]
    particle = _BR_PARTICLES.get(last)
    if particle is not None and rng.random() < 0.6:
        chosen = (*chosen[:-1], f"{particle} {last}")
    return chosen


def compose_name(rng: random.Random, country: str) -> PersonName:
    """A plausible full name for someone from ``country``."""
    book = NAME_BOOKS[country]
    sex: Sex = "f" if rng.random() < 0.56 else "m"  # more women among this retailer's buyers
    surnames = _pick_surnames(rng, book)
    family = surnames[-1] if country == "BR" else surnames[0]
    particle, _, bare = family.partition(" ")
    if particle in ("da", "dos", "de"):
        family = bare
    return PersonName(_pick_given(rng, book, sex), surnames, sex, family)
