-- Rasa's tracker store gets its own database next to Medverk's store (deploy/compose.yml).
CREATE DATABASE medverk_rasa OWNER medverk;
